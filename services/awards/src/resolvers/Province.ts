import { assertFiscalYear, pageOf } from '@moral-registry/common';
import type { ProvinceResolvers } from '../generated/graphql.ts';

/** Fields this subgraph adds to Province, resolved for all requested provinces at once. */
export const Province: ProvinceResolvers = {
  __resolveReference: ({ code }) => ({ code }),
  recognitions: (province, args, { loaders }) =>
    loaders.recognitionsByProvince.load({
      key: province.code,
      page: pageOf(args),
      arg: args.fiscalYear != null ? assertFiscalYear(args.fiscalYear) : undefined,
    }),
  recognitionStats: (province, { fiscalYear }, { loaders }) =>
    loaders.recognitionStats.load({ arg: assertFiscalYear(fiscalYear), key: province.code }),
};
