import type { DistrictResolvers } from '../generated/graphql.ts';

export const District: DistrictResolvers = {
  __resolveReference: ({ code }, { loaders }) => loaders.district.load(code),
  province: async (district, _args, { loaders }) => (await loaders.province.load(district.provinceCode))!,
};
