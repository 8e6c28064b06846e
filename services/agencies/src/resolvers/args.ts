import { parseSearch, provinceCodeArg, sectorArg } from '@moral-registry/common';
import type { AgencyKind } from '../generated/graphql.ts';
import type { AgencyFilter } from '../repository.ts';

/** The filters of an agency list's arguments, validated (codes and names in, BAD_USER_INPUT naming the field). */
export function agencyFilter(args: {
  provinceCode?: string | null;
  sectorCode?: string | null;
  search?: string | null;
  kind?: AgencyKind | null;
  districtCode?: string | null;
  networkId?: string | null;
}): AgencyFilter {
  return {
    provinceCode: args.provinceCode != null ? provinceCodeArg(args.provinceCode) : undefined,
    sectorCode: args.sectorCode != null ? sectorArg(args.sectorCode) : undefined,
    kind: args.kind ?? undefined,
    districtCode: args.districtCode?.trim() || undefined,
    networkId: args.networkId ?? undefined,
    search: parseSearch(args.search),
  };
}
