/** Argument and key checks shared by the stats resolvers. */
import { assertFiscalYear, NATION_CODE, notFound, provinceCodeArg, PROVINCE_CODES, REGION_KEYS } from '@moral-registry/common';
import type { RecognitionLevel, RecognitionProgramme, RecognitionStatus, Virtue } from '../generated/graphql.ts';
import type { RecognitionFilter } from '../repository.ts';

/** The filters of a recognition list's arguments, validated (BAD_USER_INPUT naming the field). */
export function recognitionFilter(args: {
  provinceCode?: string | null;
  fiscalYear?: number | null;
  status?: RecognitionStatus | null;
  level?: RecognitionLevel | null;
  programme?: RecognitionProgramme | null;
  virtue?: Virtue | null;
}): RecognitionFilter {
  return {
    provinceCode: args.provinceCode != null ? provinceCodeArg(args.provinceCode) : undefined,
    fiscalYear: args.fiscalYear != null ? assertFiscalYear(args.fiscalYear) : undefined,
    status: args.status ?? undefined,
    level: args.level ?? undefined,
    programme: args.programme ?? undefined,
    virtue: args.virtue ?? undefined,
  };
}

const PROVINCES = new Set(PROVINCE_CODES);
const REGIONS = new Set(REGION_KEYS.map((r) => r.code));

/** Entity keys come from the networks subgraph; a code outside the key list in common is a clear error, not zeros. */
export function knownProvince(code: string): string {
  if (!PROVINCES.has(code)) throw notFound('Province', code);
  return code;
}

export function knownRegion(code: string): string {
  if (!REGIONS.has(code)) throw notFound('Region', code);
  return code;
}

export function knownNation(code: string): string {
  if (code !== NATION_CODE) throw notFound('Nation', code);
  return code;
}
