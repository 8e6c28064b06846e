/** Composes the SDL files of the registry's subgraphs into the supergraph (Federation 2, @apollo/composition). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { PROJECT_ROOT, SERVICES, SUBGRAPHS, serviceSchemaPath } from '../packages/common/src/config.ts';

export const SCHEMA_DIR = import.meta.dirname;
export const SUPERGRAPH_PATH = path.join(SCHEMA_DIR, 'supergraph.graphql');

export function composeSupergraph(): string {
  // The subgraphs of the registry, each with its SDL and its default URL (the gateway replaces the
  // URLs at run time from <NAME>_URL or <NAME>_PORT, see docs/CONFIGURATION.md).
  const subgraphs = SERVICES.map((name) => ({
    name,
    url: `http://127.0.0.1:${SUBGRAPHS[name].port}/graphql`,
    typeDefs: parse(readFileSync(path.join(PROJECT_ROOT, serviceSchemaPath(name)), 'utf8')),
  }));
  const result = composeServices(subgraphs);
  if (result.errors) {
    throw new Error(`Composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  }
  return result.supergraphSdl;
}
