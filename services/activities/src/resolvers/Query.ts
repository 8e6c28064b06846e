import { assertFiscalYear, pageOf, provinceCodeArg, provincesOf, regionArg } from '@moral-registry/common';
import type { QueryResolvers } from '../generated/graphql.ts';

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
  activityRanking: (_parent, { fiscalYear, metric, region }, { repository }) =>
    repository.ranking(assertFiscalYear(fiscalYear), metric ?? 'COUNT', region != null ? provincesOf(regionArg(region)) : undefined),
};
