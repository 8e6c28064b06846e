import { assertFiscalYear, provincesOf, regionArg } from '@moral-registry/common';
import { activityFilter } from './args.ts';
import type { QueryResolvers } from '../generated/graphql.ts';

export const Query: QueryResolvers = {
  activity: (_parent, { id }, { loaders }) => loaders.activity.load(id),
  activities: async (_parent, args, { repository }) =>
    (await repository.activityPages([''], activityFilter(args), args.orderBy, args)).get('')!,
  activityRanking: (_parent, { fiscalYear, metric, region, order, first }, { repository }) =>
    repository.stats.ranking(metric ?? 'COUNT', region != null ? provincesOf(regionArg(region)) : undefined, {
      fiscalYear: assertFiscalYear(fiscalYear),
      order,
      first,
    }),
};
