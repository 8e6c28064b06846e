/** Composes the registry's subgraphs, each with its assembled SDL, into the supergraph (Federation 2, @apollo/composition). */
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { SERVICES, SUBGRAPHS } from '../packages/common/src/subgraphs.ts';
import { subgraphTypeDefs } from '../packages/common/src/sdl.ts';

export const SCHEMA_DIR = import.meta.dirname;
export const SUPERGRAPH_PATH = path.join(SCHEMA_DIR, 'supergraph.graphql');

export function composeSupergraph(): string {
  // The subgraphs of the registry, each with its assembled SDL (sdl.ts) and its default URL (the
  // gateway replaces the URLs at run time from <NAME>_URL or <NAME>_PORT, see docs/CONFIGURATION.md).
  const subgraphs = SERVICES.map((name) => ({
    name,
    url: `http://127.0.0.1:${SUBGRAPHS[name].port}/graphql`,
    typeDefs: subgraphTypeDefs(name),
  }));
  const result = composeServices(subgraphs);
  if (result.errors) {
    throw new Error(`Composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  }
  return result.supergraphSdl;
}
