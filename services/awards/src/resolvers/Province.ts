import { assertFiscalYear, pageOf } from '@moral-registry/common';
import type { ProvinceResolvers } from '../generated/graphql.ts';

/** Fields this subgraph adds to Province, resolved for all requested provinces at once. */
export const Province: ProvinceResolvers = {
  __resolveReference: ({ code }) => ({ code }),
  recognitions: (province, args, { loaders }) =>
    loaders.recognitionsByProvince.load({
      code: province.code,
      fiscalYear: args.fiscalYear != null ? assertFiscalYear(args.fiscalYear) : null,
      page: pageOf(args),
    }),
  recognitionStats: (province, { fiscalYear }, { loaders }) =>
    loaders.recognitionStats.load({ arg: assertFiscalYear(fiscalYear), key: province.code }),
};
