/**
 * The province key list (77 ISO codes with their region codes). The networks subgraph owns the
 * provinces; the others keep this copy of the keys to rank all 77 provinces (zeros included) and to
 * total regions and the nation in one SQL statement. Regenerate: `npm run reference:keys`.
 */
import { createRequire } from 'node:module';
import { badUserInput, echo } from '../errors.ts';

const require = createRequire(import.meta.url);
const data = require('./province-regions.json') as {
  regions: { code: string; grouping: 'NSO' | 'MPC' }[];
  provinces: { code: string; regionCode: string; mpcRegionCode: string }[];
};

export const NATION_CODE = 'TH';
export const PROVINCE_KEYS = data.provinces;
export const PROVINCE_CODES = data.provinces.map((p) => p.code);
export const REGION_KEYS = data.regions;

/** Province codes of a region (NSO or MPC code), or of the nation for `TH`. */
export function provincesOf(regionOrNation: string): string[] {
  if (regionOrNation === NATION_CODE) return PROVINCE_CODES;
  return data.provinces.filter((p) => p.regionCode === regionOrNation || p.mpcRegionCode === regionOrNation).map((p) => p.code);
}

/** Validates a region argument (case-insensitive); unknown codes are a BAD_USER_INPUT listing the known ones. */
export function regionArg(code: string, field = 'region'): string {
  const normalized = code.trim().toUpperCase();
  if (!data.regions.some((r) => r.code === normalized)) {
    throw badUserInput(field, `Unknown region "${echo(code)}". Known regions: ${data.regions.map((r) => r.code).join(', ')}`);
  }
  return normalized;
}
