import { assertFiscalYear, trendKey, trendYears } from '@moral-registry/common';
import { activityFilter } from './args.ts';
import type { ProvinceResolvers } from '../generated/graphql.ts';

/** Fields this subgraph adds to Province, resolved for all requested provinces at once. */
export const Province: ProvinceResolvers = {
  __resolveReference: ({ code }) => ({ code }),
  activities: (province, args, { loaders }) =>
    loaders.activitiesByProvince.load({ key: province.code, args: { ...args, filter: activityFilter(args) } }),
  activityStats: (province, { fiscalYear }, { loaders }) =>
    loaders.stats.province.load({ arg: assertFiscalYear(fiscalYear), key: province.code }),
  activityTrend: (province, args, { loaders }) => loaders.stats.trend.load({ arg: trendKey(trendYears(args)), key: province.code }),
};
