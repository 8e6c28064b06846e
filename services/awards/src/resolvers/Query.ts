import { assertFiscalYear, pageOf, provinceCodeArg, PROVINCE_CODES, provincesOf, regionArg } from '@moral-registry/common';
import type { QueryResolvers } from '../generated/graphql.ts';
import { criteriaOf } from './AwardCriteria.ts';

export const Query: QueryResolvers = {
  recognition: (_parent, { id }, { loaders }) => loaders.recognition.load(id),
  recognitions: (_parent, args, { repository }) =>
    repository.search(
      {
        provinceCode: args.provinceCode != null ? provinceCodeArg(args.provinceCode) : undefined,
        fiscalYear: args.fiscalYear != null ? assertFiscalYear(args.fiscalYear) : undefined,
      },
      pageOf(args),
    ),
  async awardCriteria(_parent, args, { prisma }) {
    const key = { provinceCode: provinceCodeArg(args.provinceCode), fiscalYear: assertFiscalYear(args.fiscalYear) };
    const row = await prisma.awardCriteria.findUnique({ where: { provinceCode_fiscalYear: key } });
    // Archived criteria are no longer the province's criteria for the year.
    return row && !row.archivedAt ? criteriaOf(row) : null;
  },
  recognitionRanking: (_parent, { fiscalYear, metric, region }, { repository }) =>
    repository.ranking(assertFiscalYear(fiscalYear), metric ?? 'TOTAL', region != null ? provincesOf(regionArg(region)) : PROVINCE_CODES),
};
