import { badUserInput, existingProvince, nameKey, parseSearch, provinceCodeArg, provincesOf, regionArg, t } from '@moral-registry/common';
import type { NameKey, QueryResolvers } from '../generated/graphql.ts';
import type { NameLookup } from '../repository.ts';
import { agencyFilter } from './args.ts';

/** Name lookups: at most 500 keys, names and provinces in their stored form. */
function nameKeys(keys: readonly NameKey[]): NameLookup[] {
  if (keys.length > 500) throw badUserInput('keys', t('input.tooManyKeys', { field: 'keys', max: 500, count: keys.length }));
  return keys.map((k) => ({
    provinceCode: k.provinceCode ? existingProvince('keys.provinceCode', k.provinceCode) : null,
    nameTh: nameKey(k.nameTh),
  }));
}

export const Query: QueryResolvers = {
  agency: (_parent, { id }, { loaders }) => loaders.agency.load(id),
  async agencies(_parent, args, { repository }) {
    const pages = await repository.agencyPages([''], agencyFilter(args), args.orderBy, args);
    return pages.get('')!;
  },
  agenciesByName: (_parent, { keys }, { repository }) => repository.agenciesByName(nameKeys(keys)),
  peopleByName: (_parent, { keys }, { repository }) => repository.peopleByName(nameKeys(keys)),
  person: (_parent, { id }, { loaders }) => loaders.person.load(id),
  people: (_parent, args, { repository }) =>
    repository.people(
      {
        provinceCode: args.provinceCode != null ? provinceCodeArg(args.provinceCode) : undefined,
        agencyId: args.agencyId ?? undefined,
        search: parseSearch(args.search),
      },
      args.orderBy,
      args,
    ),
  agencyRanking: (_parent, { metric, region, order, first }, { repository }) =>
    repository.stats.ranking(metric ?? 'TOTAL', region != null ? provincesOf(regionArg(region)) : undefined, { order, first }),
};
