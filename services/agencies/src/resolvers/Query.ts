import {
  badUserInput,
  connection,
  existingProvince,
  nameKey,
  normalizeThai,
  pageOf,
  provinceCodeArg,
  provincesOf,
  regionArg,
} from '@moral-registry/common';
import type { NameKey, QueryResolvers } from '../generated/graphql.ts';

/** Name lookups: at most 500 keys, names and provinces in their stored form. */
function nameKeys(keys: readonly NameKey[]) {
  if (keys.length > 500) throw badUserInput('keys', `at most 500 keys (got ${keys.length})`);
  return keys.map((k) => ({
    provinceCode: k.provinceCode ? existingProvince('keys.provinceCode', k.provinceCode) : null,
    nameTh: nameKey(k.nameTh),
  }));
}

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
  agenciesByName: async (_parent, { keys }, { prisma }) => {
    const wanted = nameKeys(keys);
    const rows = await prisma.agency.findMany({
      where: { archivedAt: null, nameTh: { in: [...new Set(wanted.map((k) => k.nameTh))] } },
      orderBy: { id: 'asc' },
    });
    return wanted.map((k) => rows.filter((r) => r.nameTh === k.nameTh && r.provinceCode === k.provinceCode));
  },
  peopleByName: async (_parent, { keys }, { prisma }) => {
    const wanted = nameKeys(keys);
    const rows = await prisma.person.findMany({
      where: { archivedAt: null, fullNameTh: { in: [...new Set(wanted.map((k) => k.nameTh))] } },
      orderBy: { id: 'asc' },
    });
    return wanted.map((k) => rows.filter((r) => r.fullNameTh === k.nameTh && r.provinceCode === k.provinceCode));
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
