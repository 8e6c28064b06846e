import { assertFiscalYear, badUserInput, pageOf } from '@moral-registry/common';
import type { QueryResolvers } from '../generated/graphql.ts';

/** Accepts an ISO 3166-2:TH code (TH-14) or a two-digit DOPA code (14). Same rule as the agencies subgraph. */
export function provinceCodeArg(code: string, field = 'provinceCode'): string {
  const trimmed = code.trim().toUpperCase();
  if (/^TH-\d{2}$/.test(trimmed)) return trimmed;
  if (/^\d{2}$/.test(trimmed)) return `TH-${trimmed}`;
  throw badUserInput(
    field,
    `${field} "${code}" is not a province code: use the ISO 3166-2:TH code (e.g. TH-14) or the two-digit DOPA code (14)`,
  );
}

export const Query: QueryResolvers = {
  activity: (_parent, { id }, { loaders }) => loaders.activity.load(id),
  activities: (_parent, args, { repository }) =>
    repository.search(
      {
        ...(args.provinceCode != null ? { provinceCode: provinceCodeArg(args.provinceCode) } : {}),
        ...(args.fiscalYear != null ? { fiscalYear: assertFiscalYear(args.fiscalYear) } : {}),
        ...(args.kind != null ? { kind: args.kind } : {}),
      },
      pageOf(args),
    ),
};
