/** Composes the four subgraph SDL files into the supergraph (Federation 2, @apollo/composition). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';

export const SCHEMA_DIR = import.meta.dirname;
export const SUPERGRAPH_PATH = path.join(SCHEMA_DIR, 'supergraph.graphql');

interface SubgraphEntry {
  routingUrl: string;
  schema: string;
}

export function readCompositionConfig(): Record<string, SubgraphEntry> {
  const config = JSON.parse(readFileSync(path.join(SCHEMA_DIR, 'supergraph.config.json'), 'utf8')) as {
    subgraphs: Record<string, SubgraphEntry>;
  };
  return config.subgraphs;
}

export function composeSupergraph(): string {
  const subgraphs = Object.entries(readCompositionConfig()).map(([name, entry]) => ({
    name,
    url: entry.routingUrl,
    typeDefs: parse(readFileSync(path.resolve(SCHEMA_DIR, entry.schema), 'utf8')),
  }));
  const result = composeServices(subgraphs);
  if (result.errors) {
    throw new Error(`Composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  }
  return result.supergraphSdl;
}
