/**
 * The seed case: Phra Nakhon Si Ayutthaya's moral-province drive as told by the Moral Promotion
 * Center's news item of 16 December 2564 (docs/sources/moral-center-news-2564-12-16.txt).
 *
 * One description of the case; each subgraph loads only its own part of it (networks: sectors,
 * chapters, programme years; agencies: agencies and people; activities: the meeting; awards: the
 * criteria). Records the source names are real; the agencies it only counts (59 in all) are made up
 * to reach that count and are marked synthetic.
 */
import { stableId } from '../ids.ts';
import { SEED_NEWS, SYNTHETIC, type ProvenanceColumns } from '../provenance.ts';

export const AYUTTHAYA = 'TH-14';
export const SOURCE_FILE = 'docs/sources/moral-center-news-2564-12-16.txt';

/** The nine sectors of Ayutthaya's network chapters, in the order the source lists them. */
export const SECTORS = [
  { code: 'GOVERNMENT', nameTh: 'ภาครัฐและหน่วยงานภายใต้กำกับดูแลของรัฐ', nameEn: 'Government and state agencies' },
  { code: 'RELIGION', nameTh: 'ศาสนา', nameEn: 'Religion' },
  { code: 'EDUCATION', nameTh: 'ภาคการศึกษา เด็กและเยาวชน', nameEn: 'Education, children and youth' },
  { code: 'MEDIA', nameTh: 'สื่อมวลชน', nameEn: 'Mass media' },
  { code: 'BUSINESS', nameTh: 'ภาคธุรกิจเอกชน', nameEn: 'Private business' },
  { code: 'CIVIL_SOCIETY', nameTh: 'ประชาสังคม', nameEn: 'Civil society' },
  { code: 'COMMUNITY_ORGANIZATION', nameTh: 'องค์กรชุมชน', nameEn: 'Community organizations' },
  { code: 'COMMUNITY', nameTh: 'ชุมชน', nameEn: 'Communities' },
  { code: 'AGRICULTURE', nameTh: 'การเกษตร', nameEn: 'Agriculture' },
] as const;

export type SectorCode = (typeof SECTORS)[number]['code'];

export const networkId = (provinceCode: string, sectorCode: string) => stableId('network', `${provinceCode}:${sectorCode}`);
export const agencyId = (key: string) => stableId('agency', key);
export const personId = (key: string) => stableId('person', key);
export const activityId = (key: string) => stableId('activity', key);

export const sectorNetworkName = (sectorNameTh: string, provinceNameTh: string) => `เครือข่าย${sectorNameTh} จังหวัด${provinceNameTh}`;

export const TARGET_BEHAVIOUR_TH = 'ชาวอยุธยา มีวินัย ใส่ใจส่วนรวม';

/** Years 1–3 of the drive; year 3 = FY2565 is stated by the source, years 1–2 follow from it. */
export const PROGRAMME_YEARS = [
  { programmeYear: 1, fiscalYear: 2563 },
  { programmeYear: 2, fiscalYear: 2564 },
  { programmeYear: 3, fiscalYear: 2565 },
].map((y) => ({
  ...y,
  provinceCode: AYUTTHAYA,
  targetBehaviourTh: TARGET_BEHAVIOUR_TH,
  targetBehaviourEn: 'Ayutthaya people are disciplined and care for the common good',
  targetVirtues: ['DISCIPLINE'] as const,
  ...SEED_NEWS,
}));

export type AgencyKindCode =
  | 'GOVERNMENT_OFFICE'
  | 'PUBLIC_ORGANIZATION'
  | 'RELIGIOUS_ORGANIZATION'
  | 'SCHOOL'
  | 'UNIVERSITY'
  | 'MEDIA'
  | 'COMPANY'
  | 'CIVIL_SOCIETY_GROUP'
  | 'COMMUNITY_ORGANIZATION'
  | 'COMMUNITY'
  | 'FARMER_GROUP';

export interface DemoAgency extends ProvenanceColumns {
  id: string;
  nameTh: string;
  nameEn: string | null;
  kind: AgencyKindCode;
  provinceCode: string | null;
  districtCode: string | null;
  sectorCode: SectorCode | null;
  networkId: string | null;
}

const real = (
  key: string,
  nameTh: string,
  nameEn: string,
  kind: AgencyKindCode,
  sectorCode: SectorCode | null,
  provinceCode: string | null,
): DemoAgency => ({
  id: agencyId(key),
  nameTh,
  nameEn,
  kind,
  provinceCode,
  districtCode: null,
  sectorCode,
  networkId: provinceCode && sectorCode ? networkId(provinceCode, sectorCode) : null,
  ...SEED_NEWS,
  sourceUrl: null,
});

export const MORAL_PROMOTION_CENTER = real(
  'moral-promotion-center',
  'ศูนย์คุณธรรม (องค์การมหาชน)',
  'Moral Promotion Center (Public Organization)',
  'PUBLIC_ORGANIZATION',
  null,
  null,
);
export const CULTURE_OFFICE = real(
  'TH-14:culture-office',
  'สำนักงานวัฒนธรรมจังหวัดพระนครศรีอยุธยา',
  'Phra Nakhon Si Ayutthaya Provincial Culture Office',
  'GOVERNMENT_OFFICE',
  'GOVERNMENT',
  AYUTTHAYA,
);
export const RMUTSB = real(
  'TH-14:rmutsb',
  'มหาวิทยาลัยเทคโนโลยีราชมงคลสุวรรณภูมิ',
  'Rajamangala University of Technology Suvarnabhumi',
  'UNIVERSITY',
  'EDUCATION',
  AYUTTHAYA,
);
export const ARU = real(
  'TH-14:aru',
  'มหาวิทยาลัยราชภัฏพระนครศรีอยุธยา',
  'Phranakhon Si Ayutthaya Rajabhat University',
  'UNIVERSITY',
  'EDUCATION',
  AYUTTHAYA,
);

/** How many of the 59 participating agencies each network chapter has (sums to 59). */
const PARTICIPANTS_PER_SECTOR: Record<SectorCode, number> = {
  GOVERNMENT: 9,
  RELIGION: 7,
  EDUCATION: 8,
  MEDIA: 5,
  BUSINESS: 6,
  CIVIL_SOCIETY: 6,
  COMMUNITY_ORGANIZATION: 6,
  COMMUNITY: 6,
  AGRICULTURE: 6,
};

const SYNTHETIC_KIND: Record<SectorCode, { kind: AgencyKindCode; th: string; en: string }> = {
  GOVERNMENT: { kind: 'GOVERNMENT_OFFICE', th: 'สำนักงานราชการ', en: 'Government office' },
  RELIGION: { kind: 'RELIGIOUS_ORGANIZATION', th: 'วัด', en: 'Temple' },
  EDUCATION: { kind: 'SCHOOL', th: 'โรงเรียน', en: 'School' },
  MEDIA: { kind: 'MEDIA', th: 'สื่อท้องถิ่น', en: 'Local media' },
  BUSINESS: { kind: 'COMPANY', th: 'บริษัท', en: 'Company' },
  CIVIL_SOCIETY: { kind: 'CIVIL_SOCIETY_GROUP', th: 'มูลนิธิ', en: 'Foundation' },
  COMMUNITY_ORGANIZATION: { kind: 'COMMUNITY_ORGANIZATION', th: 'กลุ่มองค์กรชุมชน', en: 'Community organization' },
  COMMUNITY: { kind: 'COMMUNITY', th: 'ชุมชน', en: 'Community' },
  AGRICULTURE: { kind: 'FARMER_GROUP', th: 'วิสาหกิจชุมชนเกษตร', en: 'Farmer group' },
};

/** Ayutthaya's districts are DOPA codes 1401–1416; synthetic agencies are spread over them. */
const AYUTTHAYA_DISTRICTS = Array.from({ length: 16 }, (_, i) => `14${String(i + 1).padStart(2, '0')}`);

function buildParticipants(): DemoAgency[] {
  const named = [CULTURE_OFFICE, RMUTSB, ARU];
  const result: DemoAgency[] = [];
  let n = 0;
  for (const { code } of SECTORS) {
    const realOnes = named.filter((a) => a.sectorCode === code);
    result.push(...realOnes);
    const kind = SYNTHETIC_KIND[code];
    for (let i = 1; i <= PARTICIPANTS_PER_SECTOR[code] - realOnes.length; i++) {
      result.push({
        id: agencyId(`TH-14:synthetic:${code}:${i}`),
        nameTh: `${kind.th}ตัวอย่าง ${i} เครือข่าย${SECTORS.find((s) => s.code === code)!.nameTh} (ข้อมูลสังเคราะห์)`,
        nameEn: `${kind.en} ${i}, ${code.toLowerCase().replace(/_/g, ' ')} network (synthetic)`,
        kind: kind.kind,
        provinceCode: AYUTTHAYA,
        districtCode: AYUTTHAYA_DISTRICTS[n++ % AYUTTHAYA_DISTRICTS.length]!,
        sectorCode: code,
        networkId: networkId(AYUTTHAYA, code),
        ...SYNTHETIC,
      });
    }
  }
  return result;
}

/** The 59 agencies from the 9 networks that took part in the meeting of 16 December 2564. */
export const PARTICIPANTS: DemoAgency[] = buildParticipants();
export const AGENCIES: DemoAgency[] = [MORAL_PROMOTION_CENTER, ...PARTICIPANTS];

/** People the source names, with the positions it gives. No contact details: the source has none. */
export const PEOPLE = [
  {
    key: 'yongjirayu',
    titleTh: 'นาย',
    fullNameTh: 'ยงจิรายุ อุปเสน',
    positionTh: 'ผู้จัดการสำนักส่งเสริมและขับเคลื่อนเครือข่ายทางสังคม',
    agencyId: MORAL_PROMOTION_CENTER.id,
    provinceCode: null,
  },
  {
    key: 'pramuan',
    titleTh: 'นาย',
    fullNameTh: 'ประมวล บุญมา',
    positionTh: 'หัวหน้ากลุ่มงานสมัชชาคุณธรรมและความร่วมมือนานาชาติ',
    agencyId: MORAL_PROMOTION_CENTER.id,
    provinceCode: null,
  },
  {
    key: 'nuchanat',
    titleTh: 'นางสาว',
    fullNameTh: 'นุชนาถ ประทีปธีรานันต์',
    positionTh: 'รองผู้ว่าราชการจังหวัดพระนครศรีอยุธยา',
    agencyId: null,
    provinceCode: AYUTTHAYA,
  },
  {
    key: 'jureeporn',
    titleTh: 'นาง',
    fullNameTh: 'จุรีพร ขันตี',
    positionTh: 'วัฒนธรรมจังหวัดพระนครศรีอยุธยา',
    agencyId: CULTURE_OFFICE.id,
    provinceCode: AYUTTHAYA,
  },
].map(({ key, ...p }) => ({ id: personId(key), fullNameEn: null, ...p, ...SEED_NEWS }));

/** Uthai district (อำเภออุทัย), where the Ayutthaya Grand Hotel is. */
export const UTHAI_DISTRICT = '1414';

export const MEETING = {
  id: activityId('TH-14:2021-12-16:consultation'),
  titleTh: 'ประชุมหารือเตรียมการขับเคลื่อนจังหวัดคุณธรรม (จังหวัดพระนครศรีอยุธยา) ปีที่ 3',
  titleEn: 'Consultation meeting to prepare year 3 of the moral province drive (Phra Nakhon Si Ayutthaya)',
  kind: 'CONSULTATION_MEETING' as const,
  startDate: '2021-12-16',
  endDate: '2021-12-16',
  provinceCode: AYUTTHAYA,
  districtCode: UTHAI_DISTRICT,
  venue: 'ห้องแกรนด์บอลรูม โรงแรมอยุธยาแกรนด์ อำเภออุทัย จังหวัดพระนครศรีอยุธยา',
  /** The source says "more than 85 people"; 85 is the figure it gives. */
  participantCount: 85,
  virtues: ['SUFFICIENCY', 'DISCIPLINE', 'HONESTY', 'VOLUNTEERISM', 'GRATITUDE'] as const,
  organizerIds: [MORAL_PROMOTION_CENTER.id, CULTURE_OFFICE.id],
  participantIds: PARTICIPANTS.map((a) => a.id),
  ...SEED_NEWS,
};

/** Criteria the meeting set for honouring model persons, agencies and organizations/communities in FY2565. */
export const AWARD_CRITERIA = {
  provinceCode: AYUTTHAYA,
  fiscalYear: 2565,
  textTh:
    'หลักเกณฑ์กระบวนการค้นหา ยกย่องเชิดชูบุคคล หน่วยงานต้นแบบด้านคุณธรรมในจังหวัดพระนครศรีอยุธยา เพื่อยกย่องพฤติกรรมด้านคุณธรรม 5 ด้าน (พอเพียง วินัย สุจริต จิตอาสา และกตัญญู) รวมถึงยกย่ององค์กร/ชุมชนต้นแบบด้านคุณธรรมที่โดดเด่น',
  virtues: ['SUFFICIENCY', 'DISCIPLINE', 'HONESTY', 'VOLUNTEERISM', 'GRATITUDE'] as const,
  ...SEED_NEWS,
};
