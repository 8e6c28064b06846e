/**
 * Maintenance through a running service. An embedded database has one owner (embedded/lock.ts), so
 * while `npm start` runs, `npm run seed`, `db:migrate` and `db:backup` cannot open the services'
 * directories themselves: they ask each service to do the work, over its own HTTP port
 * (`/admin/status`, `/admin/migrate`, `/admin/seed`, `/admin/backup`).
 *
 * These routes are not part of the GraphQL API and the gateway never forwards them. A caller proves it
 * runs with the deployment's configuration by a short-lived token signed with VIEWER_SECRET for a
 * separate audience, so a viewer header the gateway signed for a GraphQL request never opens them.
 */
import type http from 'node:http';
import { SignJWT, jwtVerify } from 'jose';
import type { ServiceConfig, ServiceName } from './config.ts';
import { DataDirLocked, inspectLock, type LockHolder } from './embedded/lock.ts';
import type { Database, MigrationStatus } from './database.ts';
import { dumpEmbedded } from './embedded/pglite.ts';
import type {
  SyntheticLoadResult,
  SyntheticProgress,
  SyntheticSeedOptions,
  SyntheticSeedResult,
  SyntheticTable,
} from './demo/synthetic.ts';

export const ADMIN_HEADER = 'x-registry-operator';
const AUDIENCE = 'moral-registry-operations';
const ISSUER = 'moral-registry-cli';

const key = (secret: string) => new TextEncoder().encode(secret);

/** A token for the admin routes, named after the command that asks. */
export function signOperator(secret: string, command: string): Promise<string> {
  return new SignJWT({ command })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('operator')
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('120s')
    .sign(key(secret));
}

async function verifyOperator(header: string | string[] | undefined, secret: string): Promise<string | null> {
  if (typeof header !== 'string' || !header) return null;
  try {
    const { payload } = await jwtVerify(header, key(secret), {
      algorithms: ['HS256'],
      audience: AUDIENCE,
      issuer: ISSUER,
      clockTolerance: 5,
    });
    return typeof payload.command === 'string' ? payload.command : 'operator';
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Seeding: the same work whether a command opens the database itself or a running service does it.

export type SeedFn<Client> = (db: Database<Client>) => Promise<{ created: number }>;
export type SeedSyntheticFn<Client> = (db: Database<Client>, options: SyntheticSeedOptions) => Promise<SyntheticSeedResult>;

/** What a seed run reports as it goes: lines, and per table its size, progress and result. */
export interface SeedEvents {
  log(line: string): void;
  progress?: SyntheticProgress;
}

export interface SeedRequest {
  synthetic: { scale: number; seed: number } | null;
}

export interface SeedOutcome {
  created: number;
  synthetic: SyntheticSeedResult | null;
}

/** Reference and demo data, then (when asked) the synthetic dataset and an ANALYZE of the service's tables. */
export async function seedDatabase<Client>(
  db: Database<Client>,
  service: ServiceName,
  fns: { seed?: SeedFn<Client>; seedSynthetic?: SeedSyntheticFn<Client> },
  request: SeedRequest,
  events: SeedEvents,
): Promise<SeedOutcome> {
  const { created } = (await fns.seed?.(db)) ?? { created: 0 };
  events.log(`[${service}] ${db.location}: ${created} rows created`);
  if (!request.synthetic || !fns.seedSynthetic) return { created, synthetic: null };
  const result = await fns.seedSynthetic(db, { ...request.synthetic, progress: events.progress });
  if (result.otherDataset) {
    events.log(`[${service}] note: this database also holds "${result.otherDataset}"; both datasets are now loaded side by side`);
  }
  // Fresh planner statistics: the embedded database has no autovacuum, and PostgreSQL's would reach the
  // new rows only later; until then the statistics queries can pick slow plans.
  const began = performance.now();
  const tables = await db.rawQuery<{ name: string }>(
    `SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables WHERE schemaname = current_schema()`,
  );
  if (tables.length) await db.rawQuery(`ANALYZE ${tables.map((t) => t.name).join(', ')}`);
  events.log(`[${service}] ANALYZE of ${tables.length} tables in ${((performance.now() - began) / 1000).toFixed(1)} s`);
  return { created, synthetic: result };
}

// ---------------------------------------------------------------------------------------------
// The service side

/** One line of a streamed seed run (NDJSON). */
export type SeedStreamEvent =
  | { type: 'log'; line: string }
  | { type: 'table'; table: SyntheticTable; total: number }
  | { type: 'advance'; table: SyntheticTable; rows: number }
  | { type: 'table-done'; table: SyntheticTable; result: SyntheticLoadResult }
  | { type: 'done'; outcome: SeedOutcome }
  | { type: 'error'; message: string };

export interface BackupHeader {
  service: ServiceName;
  database: 'pglite';
  migrations: string[];
  createdAt: string;
}
export const BACKUP_HEADER = 'x-registry-backup';

export interface AdminContext<Client> {
  service: ServiceName;
  db: Database<Client>;
  secret: string;
  seed?: SeedFn<Client>;
  seedSynthetic?: SeedSyntheticFn<Client>;
  log(line: string): void;
}

export interface ServiceStatus {
  service: ServiceName;
  pid: number;
  database: string;
  kind: Database<unknown>['kind'];
  migrations: MigrationStatus;
  failure: string | null;
}

function readJson(req: http.IncomingMessage, limit = 100_000): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      text += chunk;
      if (text.length > limit) reject(Object.assign(new Error('body too large'), { status: 413 }));
    });
    req.on('end', () => {
      try {
        resolve(text ? JSON.parse(text) : {});
      } catch {
        reject(Object.assign(new Error('malformed JSON'), { status: 400 }));
      }
    });
    req.on('error', reject);
  });
}

const json = (res: http.ServerResponse, status: number, body: unknown) =>
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

/** Serves `/admin/*`; returns false for other paths. One maintenance job at a time per service. */
export function adminRoutes<Client>(context: AdminContext<Client>) {
  let busy: string | null = null;
  return async (req: http.IncomingMessage, res: http.ServerResponse, pathname: string): Promise<boolean> => {
    if (!pathname.startsWith('/admin/')) return false;
    const command = await verifyOperator(req.headers[ADMIN_HEADER], context.secret);
    if (!command) {
      json(res, 401, { error: `admin routes need an ${ADMIN_HEADER} token signed with VIEWER_SECRET (the npm run commands send one)` });
      return true;
    }
    const { db } = context;
    const route = `${req.method} ${pathname}`;
    if (route === 'GET /admin/status') {
      const failure = db.failure();
      const migrations = failure ? { applied: [], pending: [], unknown: [] } : await db.migrationStatus();
      const status: ServiceStatus = {
        service: context.service,
        pid: process.pid,
        database: db.location,
        kind: db.kind,
        migrations,
        failure: failure?.message ?? null,
      };
      json(res, 200, status);
      return true;
    }
    if (!['POST /admin/migrate', 'POST /admin/seed', 'POST /admin/backup'].includes(route)) {
      json(res, 404, { error: `no such admin route: ${route}` });
      return true;
    }
    if (busy) {
      json(res, 409, { error: `${context.service} is busy with ${busy}; try again when it is done` });
      return true;
    }
    busy = `${route} (${command})`;
    try {
      if (route === 'POST /admin/migrate') {
        context.log(`${command}: applying migrations`);
        json(res, 200, { applied: await db.migrate() });
      } else if (route === 'POST /admin/backup') {
        if (!db.embedded) {
          json(res, 400, { error: `${context.service} does not keep an embedded database on disk; back up PostgreSQL with pg_dump` });
        } else {
          const status = await db.migrationStatus();
          const tarball = Buffer.from(await (await dumpEmbedded(db.embedded.pglite)).arrayBuffer());
          const header: BackupHeader = {
            service: context.service,
            database: 'pglite',
            migrations: status.applied,
            createdAt: new Date().toISOString(),
          };
          context.log(`${command}: backup of ${db.location} (${tarball.length} bytes)`);
          res
            .writeHead(200, {
              'content-type': 'application/gzip',
              'content-length': tarball.length,
              [BACKUP_HEADER]: JSON.stringify(header),
            })
            .end(tarball);
        }
      } else {
        const body = (await readJson(req)) as Partial<SeedRequest>;
        const synthetic = body.synthetic ?? null;
        context.log(
          `${command}: seeding${synthetic ? ` with the synthetic dataset (scale ${synthetic.scale}, seed ${synthetic.seed})` : ''}`,
        );
        res.writeHead(200, { 'content-type': 'application/x-ndjson' });
        const send = (event: SeedStreamEvent) => res.write(`${JSON.stringify(event)}\n`);
        try {
          const outcome = await seedDatabase(
            db,
            context.service,
            { seed: context.seed, seedSynthetic: context.seedSynthetic },
            { synthetic },
            {
              log: (line) => send({ type: 'log', line }),
              progress: (table, total) => {
                send({ type: 'table', table, total });
                return {
                  advance: (rows) => send({ type: 'advance', table, rows }),
                  done: (result) => send({ type: 'table-done', table, result }),
                };
              },
            },
          );
          send({ type: 'done', outcome });
        } catch (error) {
          send({ type: 'error', message: (error as Error).message });
        }
        res.end();
      }
    } catch (error) {
      const status = (error as { status?: number }).status ?? 500;
      if (!res.headersSent) json(res, status, { error: (error as Error).message });
      else res.end();
    } finally {
      busy = null;
    }
    return true;
  };
}

// ---------------------------------------------------------------------------------------------
// The command side: open the database directly, or do the work through the service that owns it.

/** How a command reaches a service's database. */
export type DatabaseRoute =
  | { via: 'direct' }
  /** A running service holds the embedded database: ask it (its admin routes). */
  | { via: 'service'; url: string; holder: LockHolder };

/**
 * Direct for PostgreSQL (any number of clients) and for an embedded directory nobody holds; through
 * the service when a running service holds it; DataDirLocked (naming the holder and the way out) when
 * another command holds it.
 */
export function routeFor(config: ServiceConfig): DatabaseRoute {
  if (config.database.kind !== 'pglite' || !config.database.dataDir) return { via: 'direct' };
  const state = inspectLock(config.database.dataDir);
  if (state.state !== 'held') return { via: 'direct' };
  if (state.holder.url) return { via: 'service', url: state.holder.url, holder: state.holder };
  throw new DataDirLocked(config.database.dataDir, state.holder);
}

export class AdminRequestFailed extends Error {
  override name = 'AdminRequestFailed';
}

async function adminFetch(serviceUrl: string, route: string, init: RequestInit & { secret: string; command: string }): Promise<Response> {
  const url = new URL(route, serviceUrl);
  const headers = { ...(init.headers as Record<string, string>), [ADMIN_HEADER]: await signOperator(init.secret, init.command) };
  let response: Response;
  try {
    response = await fetch(url, { ...init, headers });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new AdminRequestFailed(
      `cannot reach the service at ${url.origin} (${cause?.code ?? cause?.message ?? (error as Error).message})`,
    );
  }
  if (!response.ok) {
    const text = await response.text();
    let message = text;
    try {
      message = (JSON.parse(text) as { error?: string }).error ?? text;
    } catch {
      // not JSON
    }
    throw new AdminRequestFailed(`${url.origin}${route}: HTTP ${response.status}: ${message}`);
  }
  return response;
}

export interface AdminTarget {
  url: string;
  secret: string;
  /** The command asking, for the service's log ("npm run seed"). */
  command: string;
}

export async function remoteStatus(target: AdminTarget): Promise<ServiceStatus> {
  return (await (await adminFetch(target.url, '/admin/status', { method: 'GET', ...target })).json()) as ServiceStatus;
}

export async function remoteMigrate(target: AdminTarget): Promise<string[]> {
  return ((await (await adminFetch(target.url, '/admin/migrate', { method: 'POST', ...target })).json()) as { applied: string[] }).applied;
}

export async function remoteBackup(target: AdminTarget): Promise<{ header: BackupHeader; tarball: Buffer }> {
  const response = await adminFetch(target.url, '/admin/backup', { method: 'POST', ...target });
  const header = JSON.parse(response.headers.get(BACKUP_HEADER) ?? 'null') as BackupHeader | null;
  if (!header) throw new AdminRequestFailed(`${target.url}: the backup came without its ${BACKUP_HEADER} header`);
  return { header, tarball: Buffer.from(await response.arrayBuffer()) };
}

/** Asks a running service to seed, replaying its progress into `events` as it comes. */
export async function remoteSeed(target: AdminTarget, request: SeedRequest, events: SeedEvents): Promise<SeedOutcome> {
  const response = await adminFetch(target.url, '/admin/seed', {
    method: 'POST',
    ...target,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
  const tables = new Map<SyntheticTable, ReturnType<SyntheticProgress>>();
  let outcome: SeedOutcome | null = null;
  let buffered = '';
  const handle = (line: string) => {
    if (!line.trim()) return;
    const event = JSON.parse(line) as SeedStreamEvent;
    if (event.type === 'log') events.log(event.line);
    else if (event.type === 'table') {
      const progress = events.progress?.(event.table, event.total);
      if (progress) tables.set(event.table, progress);
    } else if (event.type === 'advance') tables.get(event.table)?.advance(event.rows);
    else if (event.type === 'table-done') tables.get(event.table)?.done(event.result);
    else if (event.type === 'done') outcome = event.outcome;
    else throw new AdminRequestFailed(`${target.url}: seeding failed: ${event.message}`);
  };
  const decoder = new TextDecoder();
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffered += decoder.decode(chunk, { stream: true });
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    lines.forEach(handle);
  }
  handle(buffered);
  if (!outcome) throw new AdminRequestFailed(`${target.url}: the seed run ended without a result (did the service stop?)`);
  return outcome;
}
