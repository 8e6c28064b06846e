/**
 * The province key list (77 ISO codes with their region codes) and the DOPA codes of each province's
 * districts (928). The networks subgraph owns provinces and districts; the others keep this copy of
 * the keys to rank all 77 provinces (zeros included), to total regions and the nation, and to rank a
 * province's districts (zeros included) in one SQL statement. Regenerate: `npm run reference:keys`.
 */
import { createRequire } from 'node:module';
import { badUserInput, echo } from '../errors.ts';

const require = createRequire(import.meta.url);
const data = require('./province-regions.json') as {
  regions: { code: string; grouping: 'NSO' | 'MPC'; nameTh: string; nameEn: string }[];
  provinces: { code: string; regionCode: string; mpcRegionCode: string }[];
  districts: Record<string, string[]>;
};

export const NATION_CODE = 'TH';
export const PROVINCE_KEYS = data.provinces;
export const PROVINCE_CODES = data.provinces.map((p) => p.code);
export const REGION_KEYS = data.regions;
/** The four-digit DOPA codes of each province's districts, in code order (ISO province code → codes). */
export const DISTRICT_CODES_BY_PROVINCE: ReadonlyMap<string, readonly string[]> = new Map(Object.entries(data.districts));
const PROVINCE_OF_DISTRICT = new Map([...DISTRICT_CODES_BY_PROVINCE].flatMap(([province, codes]) => codes.map((c) => [c, province])));

/** The province (ISO code) of a district code of the reference data; undefined for any other code. */
export function provinceOfDistrict(districtCode: string): string | undefined {
  return PROVINCE_OF_DISTRICT.get(districtCode);
}

/** Province codes of a region (NSO or MPC code), or of the nation for `TH`. */
export function provincesOf(regionOrNation: string): string[] {
  if (regionOrNation === NATION_CODE) return PROVINCE_CODES;
  return data.provinces.filter((p) => p.regionCode === regionOrNation || p.mpcRegionCode === regionOrNation).map((p) => p.code);
}

/**
 * Validates a region argument: a code (any case) or a Thai or English name; a name shared by an NSO
 * and an MPC region (ภาคกลาง) means the NSO one, the default grouping. Unknown values are a
 * BAD_USER_INPUT listing the known ones in Thai and English.
 */
export function regionArg(value: string, field = 'region'): string {
  const wanted = value.normalize('NFC').trim();
  const upper = wanted.toUpperCase();
  const lower = wanted.toLowerCase();
  const found =
    data.regions.find((r) => r.code === upper) ??
    data.regions.find((r) => r.nameTh === wanted) ??
    data.regions.find((r) => r.nameEn.toLowerCase() === lower);
  if (!found) {
    throw badUserInput(
      field,
      `Unknown region "${echo(value)}" (ไม่รู้จักภาค "${echo(value)}"). Known regions: ${data.regions.map((r) => `${r.code} (${r.nameTh}, ${r.nameEn})`).join('; ')}`,
    );
  }
  return found.code;
}
