import { assertFiscalYear, provinceCodeArg, PROVINCE_CODES, provincesOf, regionArg } from '@moral-registry/common';
import { recognitionFilter } from './args.ts';
import type { QueryResolvers } from '../generated/graphql.ts';
import { criteriaOf } from './AwardCriteria.ts';

export const Query: QueryResolvers = {
  recognition: (_parent, { id }, { loaders }) => loaders.recognition.load(id),
  recognitions: async (_parent, args, { repository }) =>
    (await repository.recognitionPages([''], recognitionFilter(args), args.orderBy, args)).get('')!,
  async awardCriteria(_parent, args, { repository }) {
    const row = await repository.awardCriteria(provinceCodeArg(args.provinceCode), assertFiscalYear(args.fiscalYear));
    return row && criteriaOf(row);
  },
  recognitionRanking: (_parent, { fiscalYear, metric, region, order, first }, { repository }) =>
    repository.stats.ranking(metric ?? 'TOTAL', region != null ? provincesOf(regionArg(region)) : PROVINCE_CODES, {
      fiscalYear: assertFiscalYear(fiscalYear),
      order,
      first,
    }),
};
