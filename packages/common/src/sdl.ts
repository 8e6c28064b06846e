/**
 * A subgraph's schema is its own `schema.graphql` plus the shared SDL blocks it lists in the registry
 * (`schema/shared/<block>.graphql`: paging, stats, provenance, the audit trail …). The @shareable
 * types and the enums and inputs several subgraphs define must be identical in each (composition
 * would merge diverging ones silently), so they are written once and assembled here for every
 * reader of a subgraph's schema: its server, composition, codegen and the tests.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Kind, Source, parse, type DocumentNode } from 'graphql';
import { PROJECT_ROOT } from './config.ts';
import { SUBGRAPHS, serviceSchemaPath, type ServiceName, type SharedSdlBlock } from './subgraphs.ts';

/** A shared block's file, relative to the project root. */
export const sharedSdlPath = (block: SharedSdlBlock) => path.join('schema', 'shared', `${block}.graphql`);

/** The files a subgraph's schema is made of, relative to the project root: its own first. */
export const subgraphSdlFiles = (name: ServiceName) => [serviceSchemaPath(name), ...SUBGRAPHS[name].sharedSdl.map(sharedSdlPath)];

const read = (file: string) => readFileSync(path.join(PROJECT_ROOT, file), 'utf8');

/** The subgraph's whole SDL as one text (for tools that take SDL text, such as codegen). */
export function subgraphSdl(name: ServiceName): string {
  return subgraphSdlFiles(name).map(read).join('\n');
}

/** The subgraph's whole SDL parsed; a syntax error names the file it is in. */
export function subgraphTypeDefs(name: ServiceName): DocumentNode {
  return {
    kind: Kind.DOCUMENT,
    definitions: subgraphSdlFiles(name).flatMap((file) => parse(new Source(read(file), file)).definitions),
  };
}
