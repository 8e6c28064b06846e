import { assertFiscalYear, pageOf } from '@moral-registry/common';
import type { ProvinceResolvers } from '../generated/graphql.ts';

/** Fields this subgraph adds to Province, resolved for all requested provinces at once. */
export const Province: ProvinceResolvers = {
  __resolveReference: ({ code }) => ({ code }),
  activities: (province, args, { loaders }) =>
    loaders.activitiesByProvince.load({
      key: province.code,
      page: pageOf(args),
      arg: args.fiscalYear != null ? assertFiscalYear(args.fiscalYear) : undefined,
    }),
  activityStats: (province, { fiscalYear }, { loaders }) =>
    loaders.activityStats.load({ arg: assertFiscalYear(fiscalYear), key: province.code }),
};
