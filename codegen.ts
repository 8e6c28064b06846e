/**
 * graphql-codegen: resolver types for every subgraph (federation-aware, parents mapped to the
 * service's own models) and typed documents for the cross-service tests and the spreadsheets package,
 * from the composed supergraph. `npm run build` (and `npm test`) runs it through turbo, which skips it when
 * none of its inputs changed (turbo.json); `npm start` makes only what the running services need, the Prisma
 * clients and the spreadsheets' documents (`turbo run generate`).
 */
import { readFileSync } from 'node:fs';
import type { CodegenConfig } from '@graphql-codegen/cli';
import { SERVICES, type ServiceName } from './packages/common/src/subgraphs.ts';
import { subgraphSdl, subgraphTypeDefs } from './packages/common/src/sdl.ts';

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

/**
 * A subgraph's resolver types, with each GraphQL type's parent mapped to the model its service
 * declares in src/models.ts: the model named as the type (Agency), or `<Type>Ref` for an entity another
 * subgraph owns (ProvinceRef). Nothing to list here when a subgraph or a model is added.
 */
function subgraphTypes(name: ServiceName) {
  const source = readFileSync(`services/${name}/src/models.ts`, 'utf8');
  const models = new Set([
    ...[...source.matchAll(/^export (?:interface|type) (\w+)/gm)].map((m) => m[1]!),
    ...[...source.matchAll(/^export type \{([^}]*)\}/gm)].flatMap((m) =>
      m[1]!.split(',').map((n) =>
        n
          .trim()
          .split(/\s+as\s+/)
          .at(-1)!,
      ),
    ),
  ]);
  const types = subgraphTypeDefs(name).definitions.flatMap((d) =>
    d.kind === 'ObjectTypeDefinition' || d.kind === 'ObjectTypeExtension' ? [d.name.value] : [],
  );
  const mappers = Object.fromEntries(
    [...new Set(types)].flatMap((type) =>
      models.has(type) ? [[type, `../models.ts#${type}`]] : models.has(`${type}Ref`) ? [[type, `../models.ts#${type}Ref`]] : [],
    ),
  );
  // The assembled SDL as text: the schema the subgraph serves (sdl.ts).
  return { schema: subgraphSdl(name), ...resolverConfig(mappers) };
}

const config: CodegenConfig = {
  overwrite: true,
  ignoreNoDocuments: true,
  generates: {
    ...Object.fromEntries(SERVICES.map((name) => [`services/${name}/src/generated/graphql.ts`, subgraphTypes(name)])),
    'tests/generated/': {
      schema: 'schema/supergraph.graphql',
      documents: ['tests/**/*.ts', '!tests/generated/**'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { enumsAsTypes: true, scalars: { Date: 'string' } },
    },
    // The spreadsheets' documents as typed strings: the gateway runs them, so its `generate` makes them too.
    'packages/spreadsheets/src/generated/': {
      schema: 'schema/supergraph.graphql',
      documents: ['packages/spreadsheets/src/**/*.ts', '!packages/spreadsheets/src/generated/**'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { enumsAsTypes: true, scalars: { Date: 'string' }, documentMode: 'string' },
    },
  },
};

// CODEGEN_ONLY=services/agencies generates only the outputs under that path (work on one subgraph); a
// comma-separated list names several (`npm run codegen:build`: all but the spreadsheets', which their
// package's own `generate` makes).
const only = process.env.CODEGEN_ONLY?.split(',').filter(Boolean);
if (only?.length) {
  config.generates = Object.fromEntries(
    Object.entries(config.generates).filter(([output]) => only.some((prefix) => output.startsWith(prefix))),
  );
}

export default config;
