/** The subgraph registry: the start order follows the references, and configuration follows the registry. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { SERVICES, SUBGRAPHS, loadSubgraph, serviceMain, serviceSchemaPath, startOrder } from './subgraphs.ts';
import { PROJECT_ROOT, readEnv, serviceConfig, subgraphUrl } from './config.ts';
import { prismaProject } from './project.ts';

describe('the subgraph registry', () => {
  it('starts every subgraph after the subgraphs it refers to', () => {
    expect(SERVICES).toEqual(['networks', 'agencies', 'activities', 'awards']);
    for (const [i, name] of SERVICES.entries()) {
      for (const reference of SUBGRAPHS[name].references) expect(SERVICES.indexOf(reference)).toBeLessThan(i);
    }
    // Whatever order the table is written in.
    expect(startOrder({ c: { references: ['b'] }, b: { references: ['a'] }, a: { references: [] } })).toEqual(['a', 'b', 'c']);
  });

  it('refuses a cycle or a reference to a name that is not a subgraph, naming it', () => {
    expect(() => startOrder({ a: { references: ['b'] }, b: { references: ['a'] } })).toThrow(/a → b → a .*cycle/);
    expect(() => startOrder({ a: { references: ['volunteers'] } })).toThrow(/a refers to volunteers, which is not a subgraph/);
  });

  it('gives every subgraph its port, URL and database URL variables, with the registry defaults', () => {
    const defaults = readEnv({});
    expect(SERVICES.map((name) => serviceConfig(name, defaults).port)).toEqual(SERVICES.map((name) => SUBGRAPHS[name].port));
    const env = readEnv({
      AGENCIES_PORT: '5002',
      AWARDS_URL: 'http://awards.internal:8080/graphql',
      AWARDS_DATABASE_URL: 'postgresql://db/x',
    });
    expect(serviceConfig('agencies', env).port).toBe(5002);
    expect(subgraphUrl('agencies', env)).toBe('http://127.0.0.1:5002/graphql');
    expect(subgraphUrl('awards', env)).toBe('http://awards.internal:8080/graphql');
    expect(serviceConfig('awards', env).database).toMatchObject({ kind: 'postgres', url: 'postgresql://db/x', schema: 'awards' });
    expect(() => readEnv({ ACTIVITIES_PORT: '6000' })).toThrow(/ACTIVITIES_PORT/);
  });

  it.each(SERVICES)(
    '%s: its folder has what the registry expects (package exports, main.ts, schema.graphql, Prisma schema)',
    async (name) => {
      const module = await loadSubgraph(name);
      expect([typeof module.createServer, typeof module.seed, typeof module.seedSynthetic]).toEqual(['function', 'function', 'function']);
      const files = [serviceMain(name), serviceSchemaPath(name)].map((file) => path.join(PROJECT_ROOT, file));
      expect([...files, prismaProject(name).schemaPath].filter((file) => !existsSync(file))).toEqual([]);
    },
  );

  it.each(SERVICES.filter((name) => SUBGRAPHS[name].search.length))(
    '%s: each searchable model of its entry has the name fields and their derived search columns',
    (name) => {
      const prisma = readFileSync(prismaProject(name).schemaPath, 'utf8');
      const missing = SUBGRAPHS[name].search.flatMap(({ model, thai, other }) => {
        const block = new RegExp(`^model ${model} \\{([^}]*)\\}`, 'm').exec(prisma)?.[1];
        if (!block) return [model];
        const fields = [thai, `${thai}Words`, `${thai}Sort`, other, `${other}Words`, 'search'];
        return fields.filter((field) => !new RegExp(`^\\s+${field}\\s`, 'm').test(block)).map((field) => `${model}.${field}`);
      });
      expect(missing).toEqual([]);
    },
  );
});
