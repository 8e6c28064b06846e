import { assertFiscalYear, pageOf, provenanceOf, provinceCodeArg, PROVINCE_CODES, provincesOf, regionArg } from '@moral-registry/common';
import type { QueryResolvers } from '../generated/graphql.ts';

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
    // No mapper for AwardCriteria (codegen.ts is shared): shape the row to the GraphQL type here.
    return (
      row && {
        id: row.id,
        province: { code: row.provinceCode },
        fiscalYear: row.fiscalYear,
        textTh: row.textTh,
        virtues: row.virtues,
        source: provenanceOf(row),
      }
    );
  },
  recognitionRanking: (_parent, { fiscalYear, metric, region }, { repository }) =>
    repository.ranking(assertFiscalYear(fiscalYear), metric ?? 'TOTAL', region != null ? provincesOf(regionArg(region)) : PROVINCE_CODES),
};
