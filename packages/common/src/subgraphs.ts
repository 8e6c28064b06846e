/**
 * The subgraph registry: the one table that says which subgraphs make up the supergraph. Everything
 * outside a subgraph's own folder reads it — configuration (ports, URLs, database URLs), composition,
 * codegen, `npm start`, `npm run seed` and the other scripts, the test harness, the Dockerfile's
 * entry point and the docs — so adding a subgraph is its folder (`services/<name>/`, a package
 * `@moral-registry/<name>` whose main module is a SubgraphModule) plus one entry here.
 * docs/ARCHITECTURE.md walks through it.
 */
import path from 'node:path';
import type { SeedFn, SeedSyntheticFn } from './admin.ts';
import type { CreateServerOptions, SubgraphServer } from './service.ts';

/** The SDL blocks under schema/shared/ that subgraphs share (see sdl.ts). */
export type SharedSdlBlock = 'pages' | 'stats' | 'provenance' | 'virtues' | 'writes' | 'import' | 'agency-connection';

export interface SubgraphEntry {
  /** Default port (`<NAME>_PORT` overrides it). */
  port: number;
  /** The shared SDL blocks its schema uses besides its own schema.graphql (see sdl.ts). */
  sharedSdl: readonly SharedSdlBlock[];
  /**
   * The subgraphs whose records this one refers to and checks at write time (an agency's district is
   * checked with networks): they start first, and are asked through peers.ts.
   */
  references: readonly string[];
  /**
   * Its tables with searchable names (docs/SEARCH.md): the Prisma model, its Thai name field and its
   * other-language name field. Every write of the model fills their derived search columns.
   */
  search: readonly SearchableModel[];
}

/** A model with searchable names: `thai` gets words and a Thai sort key, `other` words only. */
export interface SearchableModel {
  model: string;
  thai: string;
  other: string;
}

export const SUBGRAPHS = {
  networks: {
    port: 4001,
    sharedSdl: ['pages', 'stats', 'provenance', 'virtues', 'writes'],
    references: [],
    search: [{ model: 'Network', thai: 'nameTh', other: 'nameEn' }],
  },
  agencies: {
    port: 4002,
    sharedSdl: ['pages', 'stats', 'provenance', 'writes', 'import', 'agency-connection'],
    references: ['networks'],
    search: [
      { model: 'Agency', thai: 'nameTh', other: 'nameEn' },
      { model: 'Person', thai: 'fullNameTh', other: 'fullNameEn' },
    ],
  },
  activities: {
    port: 4003,
    sharedSdl: ['pages', 'stats', 'provenance', 'virtues', 'writes', 'import', 'agency-connection'],
    references: ['networks', 'agencies'],
    search: [{ model: 'Activity', thai: 'titleTh', other: 'titleEn' }],
  },
  awards: {
    port: 4004,
    sharedSdl: ['pages', 'stats', 'provenance', 'virtues', 'writes', 'import'],
    references: ['networks', 'agencies'],
    search: [],
  },
} as const satisfies Record<string, SubgraphEntry>;

export type ServiceName = keyof typeof SUBGRAPHS;

/** The subgraphs in an order where each comes after those it refers to (the order they start in). */
export const SERVICES: readonly ServiceName[] = startOrder(SUBGRAPHS);

export const GATEWAY_DEFAULT_PORT = 4000;

/** The subgraph's folder, relative to the project root. */
export const serviceDir = (name: ServiceName) => path.join('services', name);

/** Its npm workspace package (its main module is a SubgraphModule). */
export const servicePackage = (name: ServiceName) => `@moral-registry/${name}`;

/** Its process's entry point (`runMain`), relative to the project root. */
export const serviceMain = (name: ServiceName) => path.join(serviceDir(name), 'src', 'main.ts');

/** Its own SDL, relative to the project root (sdl.ts adds the shared blocks it lists). */
export const serviceSchemaPath = (name: ServiceName) => path.join(serviceDir(name), 'schema.graphql');

/** What a subgraph's package exports: its server factory and its loaders of demo and synthetic data. */
export interface SubgraphModule<Client = any> {
  createServer(options?: CreateServerOptions): Promise<SubgraphServer<Client, any>>;
  /** Reference and demo data (idempotent). */
  seed: SeedFn<Client>;
  /** The national synthetic dataset (idempotent). */
  seedSynthetic: SeedSyntheticFn<Client>;
}

/** Loads a subgraph's package; refuses one that lacks a part of SubgraphModule, naming it. */
export async function loadSubgraph(name: ServiceName): Promise<SubgraphModule> {
  const module = (await import(servicePackage(name))) as Partial<SubgraphModule>;
  const missing = (['createServer', 'seed', 'seedSynthetic'] as const).filter((part) => typeof module[part] !== 'function');
  if (missing.length) throw new Error(`${servicePackage(name)} does not export ${missing.join(', ')} (see SubgraphModule)`);
  return module as SubgraphModule;
}

export function startOrder(table: Record<string, Pick<SubgraphEntry, 'references'>>): ServiceName[] {
  const order: string[] = [];
  const visiting = new Set<string>();
  const visit = (name: string, from: string[]) => {
    if (order.includes(name)) return;
    if (!(name in table)) throw new Error(`the subgraph registry: ${from.at(-1)} refers to ${name}, which is not a subgraph`);
    if (visiting.has(name)) throw new Error(`the subgraph registry: ${[...from, name].join(' → ')} refer to each other in a cycle`);
    visiting.add(name);
    for (const reference of table[name]!.references) visit(reference, [...from, name]);
    visiting.delete(name);
    order.push(name);
  };
  for (const name of Object.keys(table)) visit(name, []);
  return order as ServiceName[];
}
