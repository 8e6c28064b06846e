/**
 * The national synthetic dataset: network chapters, agencies, people, activities (FY2563–FY2569)
 * and recognitions for all 77 provinces, made up in plausible proportions so that national
 * comparisons, rankings and benchmarks have something the size of the country to work on.
 *
 * Deterministic: the same (scale, seed) yields byte-identical records in the same order. Every id
 * is `stableId('synthetic', `${seed}:scale-${scale}:…`)` (network chapters: `networkId(province,
 * sector)`, as for the real chapters), so loading twice changes nothing, and each service
 * regenerates what it needs — the activities and awards services recompute the agency and person
 * ids of a province from (scale, seed) without reading the agencies tables.
 *
 * Streaming: records are produced province by province from generators; at most one province's
 * roster (its agencies and people) is held at a time, so scale 10 (~50,000 agencies, ~200,000
 * activities, ~2,000,000 participation links) or 100 never needs everything in memory at once.
 * Random draws come from one xoroshiro128+ stream per province and purpose (pure-rand), seeded
 * from a hash of (seed, scale, purpose, province), so a province's records do not depend on how
 * many draws other provinces made.
 *
 * Proportions (scale 1; everything scales linearly with `scale`):
 * - Agencies: round(5,000 × scale), split over the 77 provinces by their number of districts
 *   (928 in all; largest-remainder rounding), at least 2 per province so every province can hold
 *   an activity with 2 participating agencies (the floor only matters below scale ≈ 0.13).
 * - Network chapters: every province except Phra Nakhon Si Ayutthaya (TH-14) gets chapters for
 *   5–9 of the 9 sectors: always government, education, religion, communities and community
 *   organizations, plus 0–4 (uniformly) of civil society, business, agriculture and media, each of
 *   those thus present in half the provinces. TH-14 keeps its 9 real chapters (not re-created;
 *   synthetic agencies there join them).
 * - Sector mix of agencies (national): government 20%, education 18%, religion 14%, communities 12%,
 *   community organizations 10%, civil society 8%, business 8%, agriculture 6%, media 4%. An agency
 *   only joins a sector whose chapter exists in its province; the four optional sectors are drawn
 *   with double weight where present, so the national shares stay as listed.
 * - Agency kind follows the sector: government → government office 60%, local government 35%,
 *   public organization 5%; education → school 90%, university 10%; religion → religious
 *   organization; media → media; business → company; civil society → civil-society group;
 *   community organizations → community organization; communities → community; agriculture →
 *   farmer group. District: uniform over the province's districts.
 * - People: 0, 1 or 2 per agency (25% / 50% / 25%, so ≈ 1 per agency), named `บุคคลสมมติ n`,
 *   with a title and a position, never contact details.
 * - Activities: round(20,000 × scale), split over provinces by districts like agencies. Fiscal year
 *   FY2563 12%, FY2564 10% (COVID-19), FY2565 13%, FY2566 15%, FY2567 16%, FY2568 17%, FY2569 17%;
 *   start date uniform within the fiscal year, lasting 1 day (70%), 2 (20%) or 3 (10%). Kinds:
 *   consultation meeting 30%, training 16%, monitoring visit 14%, campaign 12%, lesson extraction 9%,
 *   academic collaboration 6%, moral market 5%, other 5%, moral assembly 3%. 1 organizer (65%) or 2,
 *   and 2–15 (uniform) participating agencies, all from the activity's province; participant head
 *   count 10–300 by kind (never below the number of participating agencies); 1 (40%), 2 (40%) or
 *   3 (20%) virtues, among the first four before FY2566 (Plan No.1) and all five from FY2566
 *   (Action Plan phase 2). The activity's district is its first organizer's.
 * - Recognitions, every fiscal year FY2563–FY2569: a moral-unit assessment for 15% of agencies
 *   (levels promoting 50%, moral 30%, model 15%, outstanding model 5%); a virtue honour for 3% of
 *   agencies and 2% of people (virtue as above by plan); a Moral Award for 0.4% of agencies and 0.2%
 *   of people; and one moral-unit assessment of each province (recipient kind PROVINCE), whose level
 *   starts at promoting 60% / moral 30% / model 10% in FY2563 and moves up one level a year with
 *   probability 30%. Status up to FY2568: nationally confirmed 84%, province certified 8%, nominated
 *   2%, rejected 4%, withdrawn 2%; FY2569: nominated 40%, province certified 35%, nationally
 *   confirmed 17%, rejected 5%, withdrawn 3%. Scope: national when nationally confirmed (and for
 *   Moral Awards), provincial otherwise. District: the recipient agency's (a person's: their
 *   agency's); none for a province's own assessment.
 * Seed 1, scale 1: 540 network chapters, 5,000 agencies, 5,011 people, 20,000 activities, 26,977
 * organizer and 170,104 participation links, 7,740 recognitions (235,372 rows); scale 10: 512,
 * 50,000, 49,955, 200,000, 270,128, 1,699,769 and 72,292 (2,342,656 rows).
 *
 * The ids include the scale: datasets of two scales (or seeds) loaded into one database sit side by
 * side rather than mix (each service's `seedSynthetic` reports another dataset it finds); only the
 * network chapters, keyed by (province, sector) like the real ones, are shared.
 *
 * Every record is marked `sourceKind: 'SYNTHETIC'` with `sourceLabel` `synthetic demo data (scale
 * S, seed N)`, and every Thai name contains `(ข้อมูลสังเคราะห์)` or `สมมติ`. Nothing here refers to
 * the real records of the Ayutthaya case (its real agencies and people, or its synthetic
 * participants): synthetic activities and recognitions only involve agencies and people generated
 * here.
 */
import { createHash } from 'node:crypto';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import { fiscalYearOf, fiscalYearRange } from '../fiscal-year.ts';
import { stableId } from '../ids.ts';
import { SYNTHETIC_LABEL } from '../provenance.ts';
import { DISTRICT_CODES_BY_PROVINCE, PROVINCE_KEYS } from '../reference/index.ts';
import { AYUTTHAYA, SECTORS, networkId, sectorNetworkName, type AgencyKindCode, type SectorCode } from './ayutthaya.ts';

// ---------------------------------------------------------------------------------------------
// Options

export interface SyntheticOptions {
  /** 1 ≈ 5,000 agencies and 20,000 activities; may be fractional; 0 < scale ≤ 100. */
  scale: number;
  /** Any non-negative integer; default 1. */
  seed?: number;
}

export const SYNTHETIC_MAX_SCALE = 100;
export const SYNTHETIC_DEFAULT_SEED = 1;

/** Validates (scale, seed); throws a RangeError whose message says what is wrong. */
export function assertSyntheticOptions(options: SyntheticOptions): Required<SyntheticOptions> {
  const { scale, seed = SYNTHETIC_DEFAULT_SEED } = options;
  if (typeof scale !== 'number' || !Number.isFinite(scale) || scale <= 0 || scale > SYNTHETIC_MAX_SCALE) {
    throw new RangeError(`scale must be a number greater than 0 and at most ${SYNTHETIC_MAX_SCALE} (got ${String(scale)})`);
  }
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) {
    throw new RangeError(`seed must be a non-negative integer (got ${String(seed)})`);
  }
  return { scale, seed };
}

/** `synthetic demo data (scale 1, seed 1)`: the sourceLabel of every record of a dataset. */
export const syntheticSourceLabel = (scale: number, seed: number = SYNTHETIC_DEFAULT_SEED) =>
  `${SYNTHETIC_LABEL} (scale ${scale}, seed ${seed})`;

// ---------------------------------------------------------------------------------------------
// Tables and record shapes (assignable to each service's Prisma createMany input)

/** The tables the dataset fills, with the service that owns each, in loading order. */
export const SYNTHETIC_TABLES = {
  network: 'networks',
  agency: 'agencies',
  person: 'agencies',
  activity: 'activities',
  activityOrganizer: 'activities',
  activityParticipant: 'activities',
  recognition: 'awards',
} as const;
export type SyntheticTable = keyof typeof SYNTHETIC_TABLES;

export type SyntheticVirtue = 'SUFFICIENCY' | 'DISCIPLINE' | 'HONESTY' | 'VOLUNTEERISM' | 'GRATITUDE';
export type SyntheticAgencyKind = AgencyKindCode | 'LOCAL_GOVERNMENT';
export type SyntheticActivityKind =
  | 'CONSULTATION_MEETING'
  | 'MORAL_ASSEMBLY'
  | 'MORAL_MARKET'
  | 'TRAINING'
  | 'MONITORING_VISIT'
  | 'LESSON_EXTRACTION'
  | 'ACADEMIC_COLLABORATION'
  | 'CAMPAIGN'
  | 'OTHER';
export type SyntheticLevel = 'PROMOTING' | 'MORAL' | 'MODEL' | 'OUTSTANDING_MODEL';
export type SyntheticStatus = 'NOMINATED' | 'PROVINCE_CERTIFIED' | 'NATIONALLY_CONFIRMED' | 'REJECTED' | 'WITHDRAWN';

interface Provenance {
  sourceKind: 'SYNTHETIC';
  sourceLabel: string;
  sourceUrl: null;
}

export interface SyntheticNetwork extends Provenance {
  id: string;
  provinceCode: string;
  sectorCode: SectorCode;
  nameTh: string;
  nameEn: string;
}

export interface SyntheticAgency extends Provenance {
  id: string;
  nameTh: string;
  nameEn: string;
  kind: SyntheticAgencyKind;
  provinceCode: string;
  districtCode: string;
  sectorCode: SectorCode;
  networkId: string;
}

export interface SyntheticPerson extends Provenance {
  id: string;
  titleTh: string;
  fullNameTh: string;
  fullNameEn: string;
  positionTh: string;
  agencyId: string;
  provinceCode: string;
}

export interface SyntheticActivity extends Provenance {
  id: string;
  titleTh: string;
  titleEn: string;
  kind: SyntheticActivityKind;
  startDate: Date;
  endDate: Date;
  fiscalYear: number;
  provinceCode: string;
  districtCode: string;
  venue: string | null;
  participantCount: number;
  virtues: SyntheticVirtue[];
}

export interface SyntheticActivityOrganizer {
  activityId: string;
  agencyId: string;
  position: number;
}

export interface SyntheticActivityParticipant {
  activityId: string;
  agencyId: string;
}

export interface SyntheticRecognition extends Provenance {
  id: string;
  programme: 'MORAL_UNIT_ASSESSMENT' | 'VIRTUE_HONOUR' | 'MORAL_AWARD';
  level: SyntheticLevel | null;
  virtue: SyntheticVirtue | null;
  scope: 'PROVINCIAL' | 'NATIONAL';
  fiscalYear: number;
  status: SyntheticStatus;
  titleTh: string;
  provinceCode: string;
  /** The recipient agency's district (a person's: their agency's); null for a province's own assessment. */
  districtCode: string | null;
  recipientKind: 'AGENCY' | 'PERSON' | 'PROVINCE';
  recipientId: string;
}

export interface SyntheticRecords {
  network: SyntheticNetwork;
  agency: SyntheticAgency;
  person: SyntheticPerson;
  activity: SyntheticActivity;
  activityOrganizer: SyntheticActivityOrganizer;
  activityParticipant: SyntheticActivityParticipant;
  recognition: SyntheticRecognition;
}

/** Thai and English province names for chapter names; without them the ISO code stands in. */
export type ProvinceNames = ReadonlyMap<string, { nameTh: string; nameEn: string }>;

// ---------------------------------------------------------------------------------------------
// Proportions

const AGENCIES_PER_SCALE = 5_000;
const ACTIVITIES_PER_SCALE = 20_000;
const MIN_AGENCIES_PER_PROVINCE = 2;

export const SYNTHETIC_FISCAL_YEARS = [2563, 2564, 2565, 2566, 2567, 2568, 2569] as const;
/** Fiscal year from which the national plan promotes all five virtues (Action Plan phase 2). */
export const FIVE_VIRTUES_FROM = 2566;
const LATEST_YEAR = 2569;

export const ALL_VIRTUES: readonly SyntheticVirtue[] = ['SUFFICIENCY', 'DISCIPLINE', 'HONESTY', 'VOLUNTEERISM', 'GRATITUDE'];
/** The virtues the national plan promotes in a fiscal year: the first four before FY2566. */
export const virtuesOfYear = (fiscalYear: number): readonly SyntheticVirtue[] =>
  fiscalYear >= FIVE_VIRTUES_FROM ? ALL_VIRTUES : ALL_VIRTUES.slice(0, 4);

/** National sector mix of agencies, in percent. */
export const SYNTHETIC_SECTOR_MIX: Readonly<Record<SectorCode, number>> = {
  GOVERNMENT: 20,
  EDUCATION: 18,
  RELIGION: 14,
  COMMUNITY: 12,
  COMMUNITY_ORGANIZATION: 10,
  CIVIL_SOCIETY: 8,
  BUSINESS: 8,
  AGRICULTURE: 6,
  MEDIA: 4,
};
/** Sectors every province has a chapter for; the others are present in half the provinces. */
const CORE_SECTORS: readonly SectorCode[] = ['GOVERNMENT', 'EDUCATION', 'RELIGION', 'COMMUNITY', 'COMMUNITY_ORGANIZATION'];
const OPTIONAL_SECTORS: readonly SectorCode[] = ['CIVIL_SOCIETY', 'BUSINESS', 'AGRICULTURE', 'MEDIA'];
const OPTIONAL_PRESENCE = 0.5;

const KINDS_OF_SECTOR: Readonly<Record<SectorCode, readonly (readonly [SyntheticAgencyKind, number])[]>> = {
  GOVERNMENT: [
    ['GOVERNMENT_OFFICE', 60],
    ['LOCAL_GOVERNMENT', 35],
    ['PUBLIC_ORGANIZATION', 5],
  ],
  EDUCATION: [
    ['SCHOOL', 90],
    ['UNIVERSITY', 10],
  ],
  RELIGION: [['RELIGIOUS_ORGANIZATION', 1]],
  MEDIA: [['MEDIA', 1]],
  BUSINESS: [['COMPANY', 1]],
  CIVIL_SOCIETY: [['CIVIL_SOCIETY_GROUP', 1]],
  COMMUNITY_ORGANIZATION: [['COMMUNITY_ORGANIZATION', 1]],
  COMMUNITY: [['COMMUNITY', 1]],
  AGRICULTURE: [['FARMER_GROUP', 1]],
};

/** Thai name stems (weighted) and the English noun of each agency kind. */
const AGENCY_NAMES: Readonly<Record<SyntheticAgencyKind, { th: readonly (readonly [string, number])[]; en: string }>> = {
  GOVERNMENT_OFFICE: {
    th: [
      ['สำนักงานวัฒนธรรมอำเภอ', 3],
      ['สำนักงานพัฒนาชุมชนอำเภอ', 2],
      ['ที่ว่าการอำเภอ', 2],
      ['โรงพยาบาลส่งเสริมสุขภาพตำบล', 2],
    ],
    en: 'government office',
  },
  LOCAL_GOVERNMENT: {
    th: [
      ['องค์การบริหารส่วนตำบล', 3],
      ['เทศบาลตำบล', 1],
    ],
    en: 'local government',
  },
  PUBLIC_ORGANIZATION: { th: [['ศูนย์การเรียนรู้', 1]], en: 'public organization' },
  RELIGIOUS_ORGANIZATION: {
    th: [
      ['วัด', 88],
      ['มัสยิด', 9],
      ['โบสถ์คริสต์', 3],
    ],
    en: 'religious organization',
  },
  SCHOOL: {
    th: [
      ['โรงเรียนบ้าน', 3],
      ['โรงเรียน', 2],
    ],
    en: 'school',
  },
  UNIVERSITY: {
    th: [
      ['วิทยาลัย', 3],
      ['มหาวิทยาลัย', 1],
    ],
    en: 'college',
  },
  MEDIA: {
    th: [
      ['สถานีวิทยุชุมชน', 2],
      ['หนังสือพิมพ์ท้องถิ่น', 1],
      ['เพจข่าว', 1],
    ],
    en: 'local media',
  },
  COMPANY: {
    th: [
      ['บริษัท', 3],
      ['ห้างหุ้นส่วนจำกัด', 1],
    ],
    en: 'company',
  },
  CIVIL_SOCIETY_GROUP: {
    th: [
      ['มูลนิธิ', 2],
      ['สมาคม', 1],
      ['ชมรม', 1],
    ],
    en: 'civil-society group',
  },
  COMMUNITY_ORGANIZATION: {
    th: [
      ['สภาองค์กรชุมชนตำบล', 2],
      ['กลุ่มออมทรัพย์', 1],
      ['กลุ่มแม่บ้าน', 1],
    ],
    en: 'community organization',
  },
  COMMUNITY: {
    th: [
      ['ชุมชน', 2],
      ['หมู่บ้าน', 1],
    ],
    en: 'community',
  },
  FARMER_GROUP: {
    th: [
      ['วิสาหกิจชุมชน', 2],
      ['กลุ่มเกษตรกร', 1],
    ],
    en: 'farmer group',
  },
};

/** Made-up place-like words, so that names vary and Thai search has something to find. */
const NAME_WORDS = [
  'สันติสุข',
  'ร่มเย็น',
  'ศรีสมบูรณ์',
  'เจริญธรรม',
  'สามัคคี',
  'รุ่งอรุณ',
  'บ้านสวน',
  'น้ำใส',
  'ทุ่งทอง',
  'เกษมสุข',
  'มั่นคง',
  'ศรีวิไล',
  'ธรรมรักษ์',
  'ประชาร่วมใจ',
  'หนองบัว',
  'โคกงาม',
  'ห้วยทราย',
  'ดอนแก้ว',
  'คลองใหม่',
  'ป่าไผ่',
] as const;

const PEOPLE_PER_AGENCY: readonly (readonly [number, number])[] = [
  [0, 1],
  [1, 2],
  [2, 1],
];
const TITLES: readonly (readonly [string, number])[] = [
  ['นาย', 45],
  ['นาง', 30],
  ['นางสาว', 25],
];
const POSITIONS: readonly (readonly [string, number])[] = [
  ['ผู้ประสานงานเครือข่าย', 3],
  ['หัวหน้าหน่วยงาน', 2],
  ['คณะทำงานขับเคลื่อนคุณธรรม', 3],
  ['เลขานุการคณะทำงาน', 1],
  ['โค้ชคุณธรรม', 1],
];

const YEAR_MIX: readonly (readonly [number, number])[] = [
  [2563, 12],
  [2564, 10],
  [2565, 13],
  [2566, 15],
  [2567, 16],
  [2568, 17],
  [2569, 17],
];

/** Activity kinds: share (percent), head-count range, Thai and English title. */
const ACTIVITY_KINDS: readonly {
  kind: SyntheticActivityKind;
  share: number;
  heads: readonly [number, number];
  th: string;
  en: string;
}[] = [
  { kind: 'CONSULTATION_MEETING', share: 30, heads: [10, 120], th: 'ประชุมหารือเครือข่ายคุณธรรม', en: 'Consultation meeting' },
  { kind: 'TRAINING', share: 16, heads: [20, 150], th: 'อบรมผู้ขับเคลื่อนคุณธรรม', en: 'Training of moral promoters' },
  { kind: 'MONITORING_VISIT', share: 14, heads: [10, 60], th: 'ติดตามและให้กำลังใจหน่วยงานคุณธรรม', en: 'Monitoring and encouragement visit' },
  { kind: 'CAMPAIGN', share: 12, heads: [30, 300], th: 'รณรงค์ส่งเสริมคุณธรรม', en: 'Campaign' },
  { kind: 'LESSON_EXTRACTION', share: 9, heads: [10, 80], th: 'ถอดบทเรียนชุมชนและองค์กรต้นแบบ', en: 'Lesson extraction' },
  { kind: 'ACADEMIC_COLLABORATION', share: 6, heads: [10, 100], th: 'ความร่วมมือทางวิชาการด้านคุณธรรม', en: 'Academic collaboration' },
  { kind: 'MORAL_MARKET', share: 5, heads: [50, 300], th: 'ตลาดนัดคุณธรรม', en: 'Moral market' },
  { kind: 'OTHER', share: 5, heads: [10, 150], th: 'กิจกรรมส่งเสริมคุณธรรม', en: 'Moral promotion activity' },
  { kind: 'MORAL_ASSEMBLY', share: 3, heads: [100, 300], th: 'สมัชชาคุณธรรมจังหวัด', en: 'Provincial moral assembly' },
];
const DURATION_DAYS: readonly (readonly [number, number])[] = [
  [0, 70],
  [1, 20],
  [2, 10],
];
const ORGANIZERS: readonly (readonly [number, number])[] = [
  [1, 65],
  [2, 35],
];
const VIRTUE_COUNT: readonly (readonly [number, number])[] = [
  [1, 40],
  [2, 40],
  [3, 20],
];
const PARTICIPANTS_MIN = 2;
const PARTICIPANTS_MAX = 15;
const VENUE_SHARE = 0.85;

const ASSESSMENT_RATE = 0.15;
const AGENCY_HONOUR_RATE = 0.03;
const PERSON_HONOUR_RATE = 0.02;
const AGENCY_AWARD_RATE = 0.004;
const PERSON_AWARD_RATE = 0.002;
const LEVELS: readonly SyntheticLevel[] = ['PROMOTING', 'MORAL', 'MODEL', 'OUTSTANDING_MODEL'];
const UNIT_LEVELS: readonly (readonly [SyntheticLevel, number])[] = [
  ['PROMOTING', 50],
  ['MORAL', 30],
  ['MODEL', 15],
  ['OUTSTANDING_MODEL', 5],
];
const PROVINCE_START_LEVEL: readonly (readonly [number, number])[] = [
  [0, 60],
  [1, 30],
  [2, 10],
];
const PROVINCE_STEP_UP = 0.3;
const PAST_STATUSES: readonly (readonly [SyntheticStatus, number])[] = [
  ['NATIONALLY_CONFIRMED', 84],
  ['PROVINCE_CERTIFIED', 8],
  ['NOMINATED', 2],
  ['REJECTED', 4],
  ['WITHDRAWN', 2],
];
const LATEST_STATUSES: readonly (readonly [SyntheticStatus, number])[] = [
  ['NOMINATED', 40],
  ['PROVINCE_CERTIFIED', 35],
  ['NATIONALLY_CONFIRMED', 17],
  ['REJECTED', 5],
  ['WITHDRAWN', 3],
];
const VIRTUE_TH: Readonly<Record<SyntheticVirtue, string>> = {
  SUFFICIENCY: 'พอเพียง',
  DISCIPLINE: 'วินัย',
  HONESTY: 'สุจริต',
  VOLUNTEERISM: 'จิตอาสา',
  GRATITUDE: 'กตัญญู',
};
const MARK = '(ข้อมูลสังเคราะห์)';

// ---------------------------------------------------------------------------------------------
// Geography: the DOPA district codes of each province, from the shared reference key list (the
// same 928 districts as services/networks/src/seed/reference-data.ts; a test checks they agree): the
// agencies, activities and awards services do not read the networks service's tables.

/** The DOPA district codes of each province (ISO code → 4-digit codes). */
export const SYNTHETIC_DISTRICTS: ReadonlyMap<string, readonly string[]> = DISTRICT_CODES_BY_PROVINCE;

// ---------------------------------------------------------------------------------------------
// Randomness

type Weighted<T> = readonly (readonly [T, number])[];

/** One deterministic random stream (xoroshiro128+ seeded from a SHA-256 of its key). */
class Rng {
  private readonly generator;
  constructor(key: string) {
    const hash = createHash('sha256').update(key).digest();
    const state = [hash.readInt32BE(0), hash.readInt32BE(4), hash.readInt32BE(8), hash.readInt32BE(12)];
    if (!state.some((s) => s !== 0)) state[0] = 1;
    this.generator = xoroshiro128plusFromState(state);
  }
  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return uniformInt(this.generator, min, max);
  }
  /** Number in [0, 1). */
  float(): number {
    return (this.generator.next() >>> 0) / 4294967296;
  }
  chance(p: number): boolean {
    return this.float() < p;
  }
  weighted<T>(entries: Weighted<T>): T {
    let total = 0;
    for (const [, w] of entries) total += w;
    let r = this.float() * total;
    for (const [value, w] of entries) {
      if (r < w) return value;
      r -= w;
    }
    return entries[entries.length - 1]![0];
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)]!;
  }
  /** k distinct indices of [0, n) (Floyd's algorithm), ascending. */
  sample(n: number, k: number): number[] {
    const chosen = new Set<number>();
    for (let j = n - k; j < n; j++) {
      const t = this.int(0, j);
      chosen.add(chosen.has(t) ? j : t);
    }
    return [...chosen].sort((a, b) => a - b);
  }
}

/** Splits `total` over `weights` in proportion, rounding by largest remainder (ties: first wins). */
function largestRemainder(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const result = exact.map(Math.floor);
  let left = total - result.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left-- <= 0) break;
    result[i]! += 1;
  }
  return result;
}

const DAY_MS = 86_400_000;
const utcDay = (iso: string) => Date.parse(`${iso}T00:00:00Z`);

// ---------------------------------------------------------------------------------------------
// The dataset

/** What the dataset plans for one province (small; computed up front for all 77). */
export interface SyntheticProvincePlan {
  code: string;
  regionCode: string;
  districts: readonly string[];
  /** Sectors with a chapter (TH-14: its 9 real chapters). */
  sectors: readonly SectorCode[];
  /** True when the chapters are created by this dataset (every province but TH-14). */
  createsChapters: boolean;
  agencies: number;
  activities: number;
  /** Agencies and activities of the provinces before this one (for running numbers in names). */
  agencyOffset: number;
  activityOffset: number;
}

interface RosterAgency {
  agency: SyntheticAgency;
  people: { id: string; titleTh: string; positionTh: string }[];
}

export class SyntheticDataset {
  readonly scale: number;
  readonly seed: number;
  readonly label: string;
  readonly provinces: readonly SyntheticProvincePlan[];
  private readonly provenance: Provenance;
  private readonly prefix: string;
  private readonly counted = new Map<SyntheticTable, number>();

  constructor(options: SyntheticOptions) {
    const { scale, seed } = assertSyntheticOptions(options);
    this.scale = scale;
    this.seed = seed;
    this.label = syntheticSourceLabel(scale, seed);
    this.provenance = { sourceKind: 'SYNTHETIC', sourceLabel: this.label, sourceUrl: null };
    this.prefix = `${seed}:scale-${scale}`;
    this.provinces = this.plan();
  }

  /** A synthetic id: the same key of the same (scale, seed) always gives the same id. */
  id(key: string): string {
    return stableId('synthetic', `${this.prefix}:${key}`);
  }

  private rng(purpose: string, provinceCode: string): Rng {
    return new Rng(`moral-registry synthetic\u0000${this.prefix}\u0000${purpose}\u0000${provinceCode}`);
  }

  private plan(): SyntheticProvincePlan[] {
    const keys = PROVINCE_KEYS;
    const weights = keys.map((p) => SYNTHETIC_DISTRICTS.get(p.code)!.length);
    const agencies = largestRemainder(Math.round(AGENCIES_PER_SCALE * this.scale), weights).map((n) =>
      Math.max(n, MIN_AGENCIES_PER_PROVINCE),
    );
    const activities = largestRemainder(Math.round(ACTIVITIES_PER_SCALE * this.scale), weights);
    let agencyOffset = 0;
    let activityOffset = 0;
    return keys.map((p, i) => {
      const real = p.code === AYUTTHAYA;
      let sectors: readonly SectorCode[];
      if (real) sectors = SECTORS.map((s) => s.code);
      else {
        const rng = this.rng('chapters', p.code);
        const extra = rng.sample(OPTIONAL_SECTORS.length, rng.int(0, OPTIONAL_SECTORS.length)).map((j) => OPTIONAL_SECTORS[j]!);
        const present = new Set([...CORE_SECTORS, ...extra]);
        sectors = SECTORS.map((s) => s.code).filter((c) => present.has(c));
      }
      const plan: SyntheticProvincePlan = {
        code: p.code,
        regionCode: p.regionCode,
        districts: SYNTHETIC_DISTRICTS.get(p.code)!,
        sectors,
        createsChapters: !real,
        agencies: agencies[i]!,
        activities: activities[i]!,
        agencyOffset,
        activityOffset,
      };
      agencyOffset += plan.agencies;
      activityOffset += plan.activities;
      return plan;
    });
  }

  /** Rows of a table, in a fixed order. */
  rows<T extends SyntheticTable>(table: T): Iterable<SyntheticRecords[T]> {
    const tables: { [K in SyntheticTable]: () => Iterable<SyntheticRecords[K]> } = {
      network: () => this.networks(),
      agency: () => this.agencies(),
      person: () => this.people(),
      activity: () => this.activities(),
      activityOrganizer: () => this.activityOrganizers(),
      activityParticipant: () => this.activityParticipants(),
      recognition: () => this.recognitions(),
    };
    return tables[table]();
  }

  /** How many rows a table gets (link tables and recognitions are counted by generating them once). */
  count(table: SyntheticTable): number {
    const known = this.counted.get(table);
    if (known !== undefined) return known;
    let n = 0;
    if (table === 'network') for (const p of this.provinces) n += p.createsChapters ? p.sectors.length : 0;
    else if (table === 'agency') for (const p of this.provinces) n += p.agencies;
    else if (table === 'activity') for (const p of this.provinces) n += p.activities;
    else if (table === 'person') for (const p of this.provinces) for (const a of this.roster(p)) n += a.people.length;
    else if (table === 'activityOrganizer' || table === 'activityParticipant') {
      let organizers = 0;
      for (const p of this.provinces)
        for (const a of this.provinceActivities(p)) {
          organizers += a.organizers.length;
          n += a.participants.length;
        }
      this.counted.set('activityOrganizer', organizers);
      this.counted.set('activityParticipant', n);
      return this.counted.get(table)!;
    } else for (const _ of this.recognitions()) n++;
    this.counted.set(table, n);
    return n;
  }

  /** Network chapters of every province but TH-14, whose real chapters exist already. */
  *networks(names?: ProvinceNames): Generator<SyntheticNetwork> {
    for (const p of this.provinces) {
      if (!p.createsChapters) continue;
      const province = names?.get(p.code);
      for (const code of p.sectors) {
        const sector = SECTORS.find((s) => s.code === code)!;
        yield {
          id: networkId(p.code, code),
          provinceCode: p.code,
          sectorCode: code,
          nameTh: `${sectorNetworkName(sector.nameTh, province?.nameTh ?? ` ${p.code}`)} ${MARK}`,
          nameEn: `${sector.nameEn} network, ${province?.nameEn ?? p.code} (synthetic)`,
          ...this.provenance,
        };
      }
    }
  }

  /**
   * A province's synthetic agencies and their people, regenerated from (scale, seed) alone.
   * Used by every service that needs agency or person ids, so none reads another's tables.
   */
  roster(province: SyntheticProvincePlan | string): RosterAgency[] {
    const p = typeof province === 'string' ? this.provinces.find((x) => x.code === province) : province;
    if (!p) throw new Error(`synthetic: unknown province ${String(province)}`);
    const rng = this.rng('agencies', p.code);
    // Optional sectors get double weight where present, so their national share stays as listed.
    const sectorWeights: Weighted<SectorCode> = p.sectors.map((s) => [
      s,
      SYNTHETIC_SECTOR_MIX[s] / (OPTIONAL_SECTORS.includes(s) ? OPTIONAL_PRESENCE : 1),
    ]);
    const result: RosterAgency[] = [];
    for (let i = 0; i < p.agencies; i++) {
      const no = p.agencyOffset + i + 1;
      const sectorCode = rng.weighted(sectorWeights);
      const kind = rng.weighted(KINDS_OF_SECTOR[sectorCode]);
      const names = AGENCY_NAMES[kind];
      const stem = rng.weighted(names.th);
      const word = rng.pick(NAME_WORDS);
      const districtCode = rng.pick(p.districts);
      const agency: SyntheticAgency = {
        id: this.id(`agency:${p.code}:${i}`),
        nameTh: `${stem}${word}สมมติ ${no} ${MARK}`,
        nameEn: `Synthetic ${names.en} ${no}`,
        kind,
        provinceCode: p.code,
        districtCode,
        sectorCode,
        networkId: networkId(p.code, sectorCode),
        ...this.provenance,
      };
      const people = Array.from({ length: rng.weighted(PEOPLE_PER_AGENCY) }, (_, j) => ({
        id: this.id(`person:${p.code}:${i}:${j}`),
        titleTh: rng.weighted(TITLES),
        positionTh: rng.weighted(POSITIONS),
      }));
      result.push({ agency, people });
    }
    return result;
  }

  *agencies(): Generator<SyntheticAgency> {
    for (const p of this.provinces) for (const { agency } of this.roster(p)) yield agency;
  }

  /** People, numbered `บุคคลสมมติ 1, 2, …` in this order. */
  *people(): Generator<SyntheticPerson> {
    let no = 0;
    for (const p of this.provinces)
      for (const { agency, people } of this.roster(p))
        for (const person of people) {
          no += 1;
          yield {
            id: person.id,
            titleTh: person.titleTh,
            fullNameTh: `บุคคลสมมติ ${no}`,
            fullNameEn: `Synthetic Person ${no}`,
            positionTh: person.positionTh,
            agencyId: agency.id,
            provinceCode: p.code,
            ...this.provenance,
          };
        }
  }

  private *provinceActivities(p: SyntheticProvincePlan): Generator<{
    activity: SyntheticActivity;
    organizers: SyntheticActivityOrganizer[];
    participants: SyntheticActivityParticipant[];
  }> {
    if (p.activities === 0) return;
    const agencies = this.roster(p).map((a) => a.agency);
    const rng = this.rng('activities', p.code);
    const kinds: Weighted<(typeof ACTIVITY_KINDS)[number]> = ACTIVITY_KINDS.map((k) => [k, k.share]);
    for (let i = 0; i < p.activities; i++) {
      const no = p.activityOffset + i + 1;
      const year = rng.weighted(YEAR_MIX);
      const kind = rng.weighted(kinds);
      const range = fiscalYearRange(year);
      const first = utcDay(range.start);
      const days = (utcDay(range.end) - first) / DAY_MS + 1;
      const start = new Date(first + rng.int(0, days - 1) * DAY_MS);
      const end = new Date(start.getTime() + rng.weighted(DURATION_DAYS) * DAY_MS);
      const organizerIndexes = rng.sample(agencies.length, Math.min(agencies.length, rng.weighted(ORGANIZERS)));
      const participantIndexes = rng.sample(agencies.length, Math.min(agencies.length, rng.int(PARTICIPANTS_MIN, PARTICIPANTS_MAX)));
      const heads = Math.max(participantIndexes.length, rng.int(kind.heads[0], kind.heads[1]));
      const pool = virtuesOfYear(year);
      const virtues = rng.sample(pool.length, rng.weighted(VIRTUE_COUNT)).map((j) => pool[j]!);
      const venue = rng.chance(VENUE_SHARE) ? `สถานที่จัดกิจกรรมสมมติ ${no} ${MARK}` : null;
      const id = this.id(`activity:${p.code}:${i}`);
      const startIso = start.toISOString().slice(0, 10);
      yield {
        activity: {
          id,
          titleTh: `${kind.th} ครั้งที่ ${no} ${MARK}`,
          titleEn: `${kind.en} ${no} (synthetic)`,
          kind: kind.kind,
          startDate: start,
          endDate: end,
          fiscalYear: fiscalYearOf(startIso),
          provinceCode: p.code,
          districtCode: agencies[organizerIndexes[0]!]!.districtCode,
          venue,
          participantCount: heads,
          virtues,
          ...this.provenance,
        },
        organizers: organizerIndexes.map((j, position) => ({ activityId: id, agencyId: agencies[j]!.id, position })),
        participants: participantIndexes.map((j) => ({ activityId: id, agencyId: agencies[j]!.id })),
      };
    }
  }

  *activities(): Generator<SyntheticActivity> {
    for (const p of this.provinces) for (const { activity } of this.provinceActivities(p)) yield activity;
  }

  *activityOrganizers(): Generator<SyntheticActivityOrganizer> {
    for (const p of this.provinces) for (const { organizers } of this.provinceActivities(p)) yield* organizers;
  }

  *activityParticipants(): Generator<SyntheticActivityParticipant> {
    for (const p of this.provinces) for (const { participants } of this.provinceActivities(p)) yield* participants;
  }

  *recognitions(): Generator<SyntheticRecognition> {
    for (const p of this.provinces) {
      const roster = this.roster(p);
      const rng = this.rng('recognitions', p.code);
      let provinceLevel = rng.weighted(PROVINCE_START_LEVEL);
      for (const year of SYNTHETIC_FISCAL_YEARS) {
        if (year > SYNTHETIC_FISCAL_YEARS[0] && rng.chance(PROVINCE_STEP_UP))
          provinceLevel = Math.min(provinceLevel + 1, LEVELS.length - 1);
        const statuses = year >= LATEST_YEAR ? LATEST_STATUSES : PAST_STATUSES;
        const virtues = virtuesOfYear(year);
        const make = (
          key: string,
          fields: Pick<
            SyntheticRecognition,
            'programme' | 'level' | 'virtue' | 'titleTh' | 'recipientKind' | 'recipientId' | 'districtCode'
          >,
        ): SyntheticRecognition => {
          const status = rng.weighted(statuses);
          const national = status === 'NATIONALLY_CONFIRMED' || fields.programme === 'MORAL_AWARD';
          return {
            id: this.id(`recognition:${p.code}:${year}:${key}`),
            ...fields,
            scope: national ? 'NATIONAL' : 'PROVINCIAL',
            fiscalYear: year,
            status,
            provinceCode: p.code,
            ...this.provenance,
          };
        };
        yield make('province', {
          programme: 'MORAL_UNIT_ASSESSMENT',
          level: LEVELS[provinceLevel]!,
          virtue: null,
          titleTh: `ประเมินจังหวัดคุณธรรม ปีงบประมาณ ${year} ${MARK}`,
          recipientKind: 'PROVINCE',
          recipientId: p.code,
          districtCode: null,
        });
        for (const [i, { agency, people }] of roster.entries()) {
          if (rng.chance(ASSESSMENT_RATE)) {
            yield make(`assessment:${i}`, {
              programme: 'MORAL_UNIT_ASSESSMENT',
              level: rng.weighted(UNIT_LEVELS),
              virtue: null,
              titleTh: `ประเมินหน่วยงานคุณธรรม ปีงบประมาณ ${year} ${MARK}`,
              recipientKind: 'AGENCY',
              recipientId: agency.id,
              districtCode: agency.districtCode,
            });
          }
          if (rng.chance(AGENCY_HONOUR_RATE)) {
            const virtue = rng.pick(virtues);
            yield make(`honour:${i}`, {
              programme: 'VIRTUE_HONOUR',
              level: null,
              virtue,
              titleTh: `ยกย่องเชิดชูหน่วยงานต้นแบบด้าน${VIRTUE_TH[virtue]} ปีงบประมาณ ${year} ${MARK}`,
              recipientKind: 'AGENCY',
              recipientId: agency.id,
              districtCode: agency.districtCode,
            });
          }
          if (rng.chance(AGENCY_AWARD_RATE)) {
            yield make(`award:${i}`, {
              programme: 'MORAL_AWARD',
              level: null,
              virtue: null,
              titleTh: `รางวัลคุณธรรม องค์กร/ชุมชน ปีงบประมาณ ${year} ${MARK}`,
              recipientKind: 'AGENCY',
              recipientId: agency.id,
              districtCode: agency.districtCode,
            });
          }
          for (const [j, person] of people.entries()) {
            if (rng.chance(PERSON_HONOUR_RATE)) {
              const virtue = rng.pick(virtues);
              yield make(`honour:${i}:${j}`, {
                programme: 'VIRTUE_HONOUR',
                level: null,
                virtue,
                titleTh: `ยกย่องเชิดชูบุคคลต้นแบบด้าน${VIRTUE_TH[virtue]} ปีงบประมาณ ${year} ${MARK}`,
                recipientKind: 'PERSON',
                recipientId: person.id,
                districtCode: agency.districtCode,
              });
            }
            if (rng.chance(PERSON_AWARD_RATE)) {
              yield make(`award:${i}:${j}`, {
                programme: 'MORAL_AWARD',
                level: null,
                virtue: null,
                titleTh: `รางวัลคุณธรรม บุคคล ปีงบประมาณ ${year} ${MARK}`,
                recipientKind: 'PERSON',
                recipientId: person.id,
                districtCode: agency.districtCode,
              });
            }
          }
        }
      }
    }
  }
}

/** The dataset of (scale, seed); cheap to create (it plans counts, it generates nothing yet). */
export const syntheticDataset = (options: SyntheticOptions) => new SyntheticDataset(options);

// ---------------------------------------------------------------------------------------------
// Loading

/** Progress of one table while it loads. */
export interface SyntheticTableProgress {
  /** `rows` more rows were sent (inserted or already there). */
  advance(rows: number): void;
  done(result: SyntheticLoadResult): void;
}

/** Called when a table starts loading, with the number of rows it will get. */
export type SyntheticProgress = (table: SyntheticTable, total: number) => SyntheticTableProgress;

export interface SyntheticLoadResult {
  /** Rows the generator yielded. */
  rows: number;
  /** Rows actually inserted (0 when they were all there). */
  created: number;
  ms: number;
}

export interface SyntheticSeedOptions extends SyntheticOptions {
  progress?: SyntheticProgress;
}

export interface SyntheticSeedResult {
  created: number;
  tables: Partial<Record<SyntheticTable, SyntheticLoadResult>>;
  /** The label of another synthetic dataset (other scale or seed) found in the database, if any: the two now sit side by side. */
  otherDataset?: string;
}

/** A `where` that finds records of another synthetic dataset than `label` (the Ayutthaya case's own synthetic rows do not match). */
export const otherSyntheticDataset = (label: string) => ({
  sourceKind: 'SYNTHETIC' as const,
  sourceLabel: { startsWith: `${SYNTHETIC_LABEL} (`, not: label },
});

/** PostgreSQL's limit of bind parameters per statement. */
export const POSTGRES_MAX_BIND_PARAMETERS = 65_535;

/** Bound values per INSERT the batches aim at (see batchSizeFor). */
export const SYNTHETIC_VALUES_PER_BATCH = 8_000;

/**
 * Rows per INSERT for rows of `columns` fields: about 8,000 bound values (activities 15 fields →
 * 533 rows, agencies 11 → 727, participation links 2 → 4,000), far under PostgreSQL's 65,535 bind
 * parameters even with the createdAt/updatedAt Prisma may add. Not larger, measured with Prisma 7:
 * createMany costs per bound value on the client, so bigger batches are no faster (activities
 * were faster at 533 rows than at 3,469), and Prisma's driver adapters keep the arguments of their
 * last 100 queries for debugging (@prisma/debug), so the memory a load holds is ~100 batches:
 * ~0.5 GB at this size, ~3 GB at 3,500 activities per batch.
 */
export const batchSizeFor = (columns: number) =>
  Math.max(100, Math.min(5_000, Math.floor(SYNTHETIC_VALUES_PER_BATCH / Math.max(columns, 1))));

/**
 * Sends `rows` in batches to `insert` (a `createMany({ data, skipDuplicates: true })`), with up to
 * `inFlight` batches at the database at once: Prisma prepares the next batch (and the generator
 * produces it) while the database inserts the previous one. Rows of one table are independent, so
 * their order of arrival does not matter; the table is complete when this resolves.
 */
export async function insertInBatches<T>(
  rows: Iterable<T>,
  batchSize: number,
  insert: (batch: T[]) => PromiseLike<{ count: number }>,
  progress?: SyntheticTableProgress,
  inFlight = 2,
): Promise<SyntheticLoadResult> {
  const began = performance.now();
  const iterator = rows[Symbol.iterator]();
  const take = () => {
    const batch: T[] = [];
    while (batch.length < batchSize) {
      const next = iterator.next();
      if (next.done) break;
      batch.push(next.value);
    }
    return batch;
  };
  const pending: Promise<{ count: number; size: number }>[] = [];
  let sent = 0;
  let created = 0;
  const settleOldest = async () => {
    const { count, size } = await pending.shift()!;
    created += count;
    sent += size;
    progress?.advance(size);
  };
  try {
    for (let batch = take(); batch.length > 0; batch = take()) {
      const size = batch.length;
      // Prisma queries are lazy: `then` (via Promise.resolve) starts this one.
      const insertion = Promise.resolve(insert(batch)).then(({ count }) => ({ count, size }));
      insertion.catch(() => undefined); // awaited below; do not report it as unhandled meanwhile
      pending.push(insertion);
      // One turn of the event loop lets the query reach the driver before the next batch is generated.
      await new Promise((resolve) => setImmediate(resolve));
      if (pending.length >= inFlight) await settleOldest();
    }
    while (pending.length > 0) await settleOldest();
  } catch (error) {
    await Promise.allSettled(pending);
    throw error;
  }
  const result = { rows: sent, created, ms: performance.now() - began };
  progress?.done(result);
  return result;
}

/** Loads one table of a dataset with `insert`, reporting progress; the building block of each service's `seedSynthetic`. */
export function loadSyntheticTable<K extends SyntheticTable>(
  dataset: SyntheticDataset,
  table: K,
  options: { columns: number; progress?: SyntheticProgress; rows?: Iterable<SyntheticRecords[K]>; inFlight?: number },
  insert: (batch: SyntheticRecords[K][]) => PromiseLike<{ count: number }>,
): Promise<SyntheticLoadResult> {
  const progress = options.progress?.(table, dataset.count(table));
  return insertInBatches(options.rows ?? dataset.rows(table), batchSizeFor(options.columns), insert, progress, options.inFlight);
}

/** How a service loads one table: its fields per row (for the batch size), its rows (default: the dataset's) and its `createMany`. */
export interface SyntheticTableLoader<K extends SyntheticTable> {
  columns: number;
  rows?: (dataset: SyntheticDataset) => Iterable<SyntheticRecords[K]>;
  insert: (batch: SyntheticRecords[K][]) => PromiseLike<{ count: number }>;
}

/**
 * A service's `seedSynthetic`: looks for another synthetic dataset with `findOther` (a `findFirst` on one
 * of its tables), then loads `tables` one after the other in the order given (parents before the rows
 * that refer to them) and adds up what each created.
 */
export async function seedSyntheticTables(
  options: SyntheticSeedOptions,
  findOther: (where: ReturnType<typeof otherSyntheticDataset>) => PromiseLike<{ sourceLabel: string } | null>,
  tables: { [K in SyntheticTable]?: SyntheticTableLoader<K> },
): Promise<SyntheticSeedResult> {
  const dataset = syntheticDataset(options);
  const other = await findOther(otherSyntheticDataset(dataset.label));
  const result: SyntheticSeedResult = { created: 0, tables: {}, otherDataset: other?.sourceLabel };
  for (const [table, loader] of Object.entries(tables) as [SyntheticTable, SyntheticTableLoader<SyntheticTable>][]) {
    const rows = loader.rows?.(dataset);
    const loaded = await loadSyntheticTable(dataset, table, { columns: loader.columns, progress: options.progress, rows }, loader.insert);
    result.tables[table] = loaded;
    result.created += loaded.created;
  }
  return result;
}
