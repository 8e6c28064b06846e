/**
 * graphql-codegen: resolver types for every subgraph (federation-aware, parents mapped to the
 * service's own models) and typed documents for the cross-service tests, from the composed supergraph.
 * Run by `npm run build` (and so by `npm start` and `npm test`).
 */
import type { CodegenConfig } from '@graphql-codegen/cli';

const resolverConfig = (mappers: Record<string, string>) => ({
  plugins: ['typescript', 'typescript-resolvers'],
  config: {
    federation: true,
    useIndexSignature: true,
    enumsAsTypes: true,
    contextType: '../context.ts#Context',
    mappers,
    mapperTypeSuffix: 'Model',
    scalars: { Date: 'string' },
    avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
  },
});

const config: CodegenConfig = {
  overwrite: true,
  ignoreNoDocuments: true,
  generates: {
    'services/networks/src/generated/graphql.ts': {
      schema: 'services/networks/schema.graphql',
      ...resolverConfig({
        Province: '../models.ts#Province',
        Region: '../models.ts#Region',
        District: '../models.ts#District',
        NetworkSector: '../models.ts#NetworkSector',
        Network: '../models.ts#Network',
        ProgrammeYear: '../models.ts#ProgrammeYear',
        AuditEntry: '../models.ts#AuditEntry',
        Nation: '../models.ts#Nation',
      }),
    },
    'services/agencies/src/generated/graphql.ts': {
      schema: 'services/agencies/schema.graphql',
      ...resolverConfig({
        Agency: '../models.ts#Agency',
        Person: '../models.ts#Person',
        AuditEntry: '../models.ts#AuditEntry',
        Province: '../models.ts#ProvinceRef',
        Network: '../models.ts#NetworkRef',
        District: '../models.ts#DistrictRef',
        NetworkSector: '../models.ts#NetworkSectorRef',
        Region: '../models.ts#RegionRef',
        Nation: '../models.ts#NationRef',
      }),
    },
    'services/activities/src/generated/graphql.ts': {
      schema: 'services/activities/schema.graphql',
      ...resolverConfig({
        Activity: '../models.ts#Activity',
        AuditEntry: '../models.ts#AuditEntry',
        Agency: '../models.ts#AgencyRef',
        Province: '../models.ts#ProvinceRef',
        District: '../models.ts#DistrictRef',
        Region: '../models.ts#RegionRef',
        Nation: '../models.ts#NationRef',
      }),
    },
    'services/awards/src/generated/graphql.ts': {
      schema: 'services/awards/schema.graphql',
      ...resolverConfig({
        Recognition: '../models.ts#Recognition',
        AuditEntry: '../models.ts#AuditEntry',
        Agency: '../models.ts#AgencyRef',
        Person: '../models.ts#PersonRef',
        Province: '../models.ts#ProvinceRef',
        Region: '../models.ts#RegionRef',
        Nation: '../models.ts#NationRef',
      }),
    },
    'tests/generated/': {
      schema: 'schema/supergraph.graphql',
      documents: ['tests/**/*.ts', '!tests/generated/**'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { enumsAsTypes: true, scalars: { Date: 'string' } },
    },
  },
};

// CODEGEN_ONLY=services/agencies generates only the outputs under that path (work on one subgraph).
const only = process.env.CODEGEN_ONLY;
if (only) config.generates = Object.fromEntries(Object.entries(config.generates).filter(([output]) => output.startsWith(only)));

export default config;
