/**
 * Test kit (`@moral-registry/common/testing`, not in the main entry, so that services do not load it):
 * run operations against an in-process subgraph and fail with the query and the response printed,
 * so a failing test says what was asked and what came back.
 */
import type { ApolloServer, BaseContext } from '@apollo/server';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ServiceConfig } from './config.ts';
import { withPgClient } from './database.ts';
import type { CreateServerOptions, SubgraphServer } from './service.ts';
import { ANONYMOUS, signViewer, VIEWER_HEADER, type Viewer } from './viewer.ts';

/** Ten random hexadecimal digits, for the names of a test's throw-away schemas and databases. */
const shortId = () => randomUUID().replace(/-/g, '').slice(0, 10);

/**
 * A fresh database for one test file: in-memory PGlite by default; with DATABASE_URL set, a
 * throw-away PostgreSQL schema per service (dropped when the server closes).
 */
export function testDatabase(): Partial<ServiceConfig> {
  const url = process.env.DATABASE_URL;
  if (!url) return { database: { kind: 'pglite', dataDir: null }, migrateOnStart: true };
  return { database: { kind: 'postgres', url, schema: `test_${shortId()}`, poolSize: 4, ephemeral: true }, migrateOnStart: true };
}

/** The test database of this test file (see testDatabase). */
export const inMemory: Partial<ServiceConfig> = testDatabase();

/** The server factories (`createServer` of their packages) of the subgraphs a service under test asks, by name. */
type PeerFactories = Record<string, (options: CreateServerOptions) => Promise<SubgraphServer<any, any>>>;

/** The subgraphs startPeers started: each server, where each answers (the `peers` of the service under test), and a stop. */
export interface Peers<Factories extends PeerFactories> {
  servers: { [Name in keyof Factories]: Awaited<ReturnType<Factories[Name]>> };
  urls: Record<keyof Factories, string>;
  close(): Promise<void>;
}

/**
 * Starts the subgraphs a service under test checks its references with, in the order given: each with
 * its demo data on its test database, on a free port, and told where those started before it answer.
 */
export async function startPeers<Factories extends PeerFactories>(factories: Factories): Promise<Peers<Factories>> {
  const servers = {} as Peers<Factories>['servers'];
  const urls = {} as Record<keyof Factories, string>;
  const close = async () => {
    for (const server of Object.values(servers).reverse()) await server.close();
  };
  try {
    for (const name of Object.keys(factories) as (keyof Factories)[]) {
      const server = await factories[name]!({ config: { ...inMemory, peers: { ...urls } }, seed: true });
      servers[name] = server as (typeof servers)[typeof name];
      urls[name] = (await server.listen(0)).url;
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { servers, urls, close };
}

export interface ExecuteResult<Data> {
  data: Data;
  errors?: readonly { message: string; extensions?: Record<string, unknown>; path?: readonly (string | number)[] }[];
}

function describeFailure(query: string, variables: unknown, body: unknown): string {
  return `Query:\n${query}\nVariables: ${JSON.stringify(variables)}\nResponse: ${JSON.stringify(body, null, 2)}`;
}

/** Executes and expects no errors. */
export async function execute<Data = Record<string, any>, Context extends BaseContext = BaseContext>(
  server: { apollo: ApolloServer<Context>; createContext(viewer?: Viewer): Context },
  query: string,
  variables?: Record<string, unknown>,
  viewer?: Viewer,
): Promise<Data> {
  const result = await executeRaw<Data, Context>(server, query, variables, viewer);
  if (result.errors?.length) throw new Error(`Unexpected GraphQL errors.\n${describeFailure(query, variables, result)}`);
  return result.data;
}

/** Executes and returns data and errors as they are (for tests that expect an error). */
export async function executeRaw<Data = Record<string, any>, Context extends BaseContext = BaseContext>(
  server: { apollo: ApolloServer<Context>; createContext(viewer?: Viewer): Context },
  query: string,
  variables?: Record<string, unknown>,
  viewer?: Viewer,
): Promise<ExecuteResult<Data>> {
  const response = await server.apollo.executeOperation({ query, variables }, { contextValue: server.createContext(viewer) });
  if (response.body.kind !== 'single') throw new Error(`Expected a single result.\n${describeFailure(query, variables, response.body)}`);
  return response.body.singleResult as unknown as ExecuteResult<Data>;
}

/** POSTs a GraphQL operation over HTTP (gateway or subgraph) and expects no errors. */
export async function post<Data = Record<string, any>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<Data> {
  const body = await postRaw<Data>(url, query, variables, headers);
  if (body.errors?.length) throw new Error(`Unexpected GraphQL errors from ${url}.\n${describeFailure(query, variables, body)}`);
  return body.data;
}

export async function postRaw<Data = Record<string, any>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<ExecuteResult<Data>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  try {
    return JSON.parse(text) as ExecuteResult<Data>;
  } catch {
    throw new Error(`Non-JSON response ${response.status} from ${url}: ${text.slice(0, 500)}\n${describeFailure(query, variables, text)}`);
  }
}

/**
 * Runs an assertion with `message` put first in its failure: Jest's `expect` takes one argument.
 * `withMessage(code, () => expect(count).toBe(5))` (no message: the failure as it is); an asynchronous assertion (`.resolves`,
 * `.rejects`) is awaited through it.
 */
export function withMessage<T>(message: string | undefined, assertion: () => T): T {
  const explain = (error: unknown): never => {
    if (error instanceof Error && message) {
      const original = error.message;
      error.message = `${message}\n\n${original}`;
      if (error.stack?.includes(original)) error.stack = error.stack.replace(original, error.message);
    }
    throw error;
  };
  try {
    const result = assertion();
    if (result instanceof Promise) return result.catch(explain) as T;
    return result;
  } catch (error) {
    return explain(error);
  }
}

/**
 * The viewers of the write tests: a national admin, the editors of Ayutthaya (TH-14) and Bangkok
 * (TH-10), a staff reader, a partner's API key and nobody.
 */
export const VIEWERS = {
  ADMIN: { id: 'admin-1', role: 'NATIONAL_ADMIN', provinceCode: null, name: 'ผู้ดูแลระบบ' },
  EDITOR_14: { id: 'editor-14', role: 'PROVINCIAL_EDITOR', provinceCode: 'TH-14', name: 'บรรณาธิการอยุธยา' },
  EDITOR_10: { id: 'editor-10', role: 'PROVINCIAL_EDITOR', provinceCode: 'TH-10', name: 'บรรณาธิการกรุงเทพฯ' },
  READER: { id: 'reader-1', role: 'STAFF_READER', provinceCode: null },
  PARTNER: { id: 'apikey:partner', role: 'PARTNER', provinceCode: null },
  ANONYMOUS,
} as const satisfies Record<string, Viewer>;
export type ViewerName = keyof typeof VIEWERS;
export type WriteOutcome = 'ok' | 'FORBIDDEN' | 'UNAUTHENTICATED';

/** What each viewer gets when writing a record of Ayutthaya (TH-14): its editor and national admins may. */
export const PROVINCE_WRITE: Record<ViewerName, WriteOutcome> = {
  ADMIN: 'ok',
  EDITOR_14: 'ok',
  EDITOR_10: 'FORBIDDEN',
  READER: 'FORBIDDEN',
  PARTNER: 'FORBIDDEN',
  ANONYMOUS: 'UNAUTHENTICATED',
};

/** POSTs as the gateway forwards a Thai user's request to a subgraph: the viewer signed, Thai preferred; no failure on errors. */
export async function postInThai<Data = Record<string, any>>(
  url: string,
  viewerSecret: string,
  viewer: Viewer,
  query: string,
  variables?: Record<string, unknown>,
): Promise<ExecuteResult<Data>> {
  const headers = { 'accept-language': 'th-TH,th;q=0.9,en;q=0.5', [VIEWER_HEADER]: await signViewer(viewer, viewerSecret) };
  return postRaw<Data>(url, query, variables, headers);
}

/** A value compared with the provinces' `values`, counted one by one: rank (1 = highest; ties share), mean, share strictly lower. */
export function nationalComparison(value: number, values: readonly number[]) {
  return {
    nationalRank: 1 + values.filter((v) => v > value).length,
    nationalAverage: values.reduce((a, b) => a + b, 0) / values.length,
    percentile: (100 * values.filter((v) => v < value).length) / values.length,
  };
}

/** A ranking as the API must return it, counted from `valueOf`: value descending, ties sharing a rank, then by code. */
export function countedRanking(codes: readonly string[], valueOf: (code: string) => number) {
  const values = codes.map((code) => ({ code, value: valueOf(code) }));
  return values
    .map(({ code, value }) => ({ rank: 1 + values.filter((v) => v.value > value).length, value, province: { code } }))
    .sort((a, b) => a.rank - b.rank || (a.province.code < b.province.code ? -1 : 1));
}

/** What a viewer's attempt came to: the data, or the first error and its code (for the write tests' role matrices). */
export interface Attempt {
  data: Record<string, any> | null;
  code: string | undefined;
  error: NonNullable<ExecuteResult<unknown>['errors']>[number] | undefined;
}

/** Executes as `viewer` and returns the data or the first error with its code, without failing. */
export async function executeAs<Context extends BaseContext = BaseContext>(
  server: { apollo: ApolloServer<Context>; createContext(viewer?: Viewer): Context },
  viewer: Viewer,
  query: string,
  variables: Record<string, unknown>,
): Promise<Attempt> {
  const result = await executeRaw<Record<string, any> | null, Context>(server, query, variables, viewer);
  const error = result.errors?.[0];
  return { data: result.data, code: error?.extensions?.code as string | undefined, error };
}

/** A database of its own on the PostgreSQL server `serverUrl` names, for a test that starts whole services on it. */
export async function throwAwayDatabase(serverUrl: string, name: string): Promise<{ url: string; drop(): Promise<void> }> {
  await withPgClient(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await withPgClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/**
 * Where a test that starts whole services as `npm start` does keeps their data: a temporary directory
 * (DATA_DIR: embedded databases, backups) and, when DATABASE_URL is set, a throw-away PostgreSQL
 * database of its own. `remove()` deletes both.
 */
export async function throwAwayStorage(name: string): Promise<{ dataDir: string; databaseUrl: string | null; remove(): Promise<void> }> {
  const serverUrl = process.env.DATABASE_URL;
  const database = serverUrl ? await throwAwayDatabase(serverUrl, `registry_${name}_${shortId()}`) : null;
  const dataDir = mkdtempSync(path.join(tmpdir(), `registry-${name}-`));
  return {
    dataDir,
    databaseUrl: database?.url ?? null,
    remove: async () => {
      rmSync(dataDir, { recursive: true, force: true });
      await database?.drop();
    },
  };
}
