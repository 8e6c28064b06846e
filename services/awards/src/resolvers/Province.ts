import { assertFiscalYear, trendKey, trendYears } from '@moral-registry/common';
import type { ProvinceResolvers } from '../generated/graphql.ts';
import { knownProvince, recognitionFilter } from './args.ts';

/** Fields this subgraph adds to Province, resolved for all requested provinces at once. */
export const Province: ProvinceResolvers = {
  __resolveReference: ({ code }) => ({ code }),
  recognitions: (province, args, { loaders }) =>
    loaders.recognitionsByProvince.load({ key: province.code, args: { ...args, filter: recognitionFilter(args) } }),
  recognitionStats: (province, { fiscalYear }, { loaders }) =>
    loaders.stats.province.load({ arg: assertFiscalYear(fiscalYear), key: knownProvince(province.code) }),
  recognitionTrend: (province, args, { loaders }) =>
    loaders.stats.trend.load({ arg: trendKey(trendYears(args)), key: knownProvince(province.code) }),
};
