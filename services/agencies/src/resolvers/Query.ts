import { badUserInput, connection, normalizeThai, pageOf, provinceCodeArg, provincesOf, regionArg } from '@moral-registry/common';
import type { QueryResolvers } from '../generated/graphql.ts';

export const Query: QueryResolvers = {
  agency: (_parent, { id }, { loaders }) => loaders.agency.load(id),
  agencies(_parent, args, { repository }) {
    const search = args.search != null ? normalizeThai(args.search) : undefined;
    if (search !== undefined && search.length > 200) throw badUserInput('search', 'search must be at most 200 characters');
    return repository.search(
      {
        provinceCode: args.provinceCode != null ? provinceCodeArg(args.provinceCode) : undefined,
        sectorCode: args.sectorCode?.trim().toUpperCase() || undefined,
        search: search || undefined,
      },
      pageOf(args),
    );
  },
  person: (_parent, { id }, { loaders }) => loaders.person.load(id),
  async people(_parent, args, { prisma }) {
    const page = pageOf(args);
    const where = {
      archivedAt: null,
      ...(args.provinceCode != null ? { provinceCode: provinceCodeArg(args.provinceCode) } : {}),
      ...(args.agencyId != null ? { agencyId: args.agencyId } : {}),
    };
    const [rows, total] = await Promise.all([
      prisma.person.findMany({ where, orderBy: [{ fullNameTh: 'asc' }, { id: 'asc' }], skip: page.offset, take: page.limit }),
      prisma.person.count({ where }),
    ]);
    return connection(rows, page, total);
  },
  agencyRanking: (_parent, { metric, region }, { repository }) =>
    repository.ranking(metric ?? 'TOTAL', region != null ? provincesOf(regionArg(region)) : undefined),
};
