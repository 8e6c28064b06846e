/**
 * Each subgraph's schema is its own schema.graphql plus the shared blocks the registry lists for it:
 * the assembled schema builds, defines each type once, and the shared types exist only in their
 * blocks. (That composing the assembled schemas gives the committed supergraph is checked by
 * `npm run compose -- --check` and tests/supergraph.test.ts.)
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type DocumentNode } from 'graphql';
import { PROJECT_ROOT } from './config.ts';
import { sharedSdlPath, subgraphSdl, subgraphTypeDefs } from './sdl.ts';
import { SERVICES, SUBGRAPHS, serviceSchemaPath, type SharedSdlBlock } from './subgraphs.ts';

const read = (file: string) => readFileSync(path.join(PROJECT_ROOT, file), 'utf8');
const namesIn = (doc: DocumentNode) => doc.definitions.flatMap((d) => ('name' in d && d.name ? [d.name.value] : []));
const usedBlocks = [...new Set(SERVICES.flatMap((name) => SUBGRAPHS[name].sharedSdl))];

describe('the assembled subgraph SDL', () => {
  it.each(SERVICES)('%s: its own schema plus its shared blocks builds a subgraph schema that serves the shared types', (name) => {
    const schema = buildSubgraphSchema([{ typeDefs: subgraphTypeDefs(name) }]);
    for (const block of SUBGRAPHS[name].sharedSdl) {
      for (const type of namesIn(parse(read(sharedSdlPath(block)))))
        expect({ block, type, served: !!schema.getType(type) }).toEqual({ block, type, served: true });
    }
    // The text codegen reads is the same SDL.
    expect(namesIn(parse(subgraphSdl(name)))).toEqual(namesIn(subgraphTypeDefs(name)));
  });

  it.each(SERVICES)('%s: defines every type once, and no shared type in its own schema.graphql', (name) => {
    const names = namesIn(subgraphTypeDefs(name));
    expect(names.filter((type, i) => names.indexOf(type) !== i)).toEqual([]);
    const own = new Set(namesIn(parse(read(serviceSchemaPath(name)))));
    const shared = usedBlocks.flatMap((block) => namesIn(parse(read(sharedSdlPath(block)))));
    expect(shared.filter((type) => own.has(type))).toEqual([]);
  });

  it('has a registry entry using each block of schema/shared, and a file for each block the registry lists', () => {
    const files = readdirSync(path.join(PROJECT_ROOT, 'schema', 'shared')).map((file) => path.basename(file, '.graphql') as SharedSdlBlock);
    expect([...usedBlocks].sort()).toEqual(files.sort());
  });
});
