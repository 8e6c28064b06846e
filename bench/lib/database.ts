/**
 * The database of one benchmark scale: a fresh PostgreSQL database (one schema per service, as the
 * services make it) or a temporary DATA_DIR of embedded PGlite databases, and direct SQL access to
 * each service's data for the raw-SQL floor and the dataset counts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { SERVICES, type ServiceName } from '../../packages/common/src/config.ts';
import { withPgClient as withClient } from '../../packages/common/src/database.ts';
import { packageVersion } from './machine.ts';

/** Runs SQL against one service's own tables (unqualified names, as the service sees them). */
export interface SqlAccess {
  query<R>(service: ServiceName, sql: string, params?: unknown[]): Promise<R[]>;
  /**
   * VACUUM ANALYZE of every service's tables: after a bulk load, the state autovacuum reaches a
   * little later (planner statistics, visibility map for index-only scans), so every measurement
   * sees the same steady state instead of racing autovacuum.
   */
  vacuumAnalyze(): Promise<void>;
  close(): Promise<void>;
}

export interface BenchDatabase {
  kind: 'pg' | 'embedded';
  /** Where the data lives, for messages (no credentials). */
  label: string;
  /** Environment for the seed and the subgraphs. */
  env: Record<string, string>;
  /** Server version ("PostgreSQL 15.20" or "PGlite 0.5.16 (PostgreSQL 17.x)"). */
  version(): Promise<string>;
  /** Direct SQL access. On the embedded database only while no service has it open. */
  open(): Promise<SqlAccess>;
  /** Process ids of the PostgreSQL backends connected to this database (none on the embedded database). */
  postgresPids?: () => Promise<number[]>;
  /** Drops the database or removes the directory (unless kept). */
  dispose(keep: boolean): Promise<void>;
}

/** The per-service URL variables are cleared so a `.env` file cannot redirect one service elsewhere. */
const CLEARED: Record<string, string> = Object.fromEntries(SERVICES.map((s) => [`${s.toUpperCase()}_DATABASE_URL`, '']));

export function databaseName(scale: number): string {
  return `moral_bench_s${String(scale).replace(/[^0-9a-z]/gi, '_')}`;
}

export async function createPostgresDatabase(adminUrl: string, scale: number, reuse = false): Promise<BenchDatabase> {
  const name = databaseName(scale);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  await withClient(adminUrl, async (admin) => {
    if (reuse) {
      const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (!rowCount) throw new Error(`--reuse: there is no database ${name} (run once with --keep)`);
      return;
    }
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  });
  return {
    kind: 'pg',
    label: `PostgreSQL ${url.host}/${name}`,
    env: { ...CLEARED, DATABASE_URL: databaseUrl },
    version: () =>
      withClient(adminUrl, async (admin) => {
        const { rows } = await admin.query<{ server_version: string }>('SHOW server_version');
        return `PostgreSQL ${rows[0]!.server_version}`;
      }),
    async open() {
      // One pool per service with the service's search_path, like the services' own connections.
      const pools = Object.fromEntries(
        SERVICES.map((s) => [s, new pg.Pool({ connectionString: databaseUrl, max: 2, options: `-c search_path="${s}"` })]),
      ) as Record<ServiceName, pg.Pool>;
      return {
        query: async <R>(service: ServiceName, sql: string, params?: unknown[]) => (await pools[service].query(sql, params)).rows as R[],
        vacuumAnalyze: async () => {
          await pools.networks.query('VACUUM (ANALYZE)'); // the whole database: every service's schema
        },
        close: async () => {
          await Promise.all(Object.values(pools).map((p) => p.end()));
        },
      };
    },
    postgresPids: () =>
      withClient(adminUrl, async (admin) => {
        const { rows } = await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [name]);
        return rows.map((r) => r.pid);
      }),
    async dispose(keep) {
      if (keep) {
        console.log(`[bench] kept database ${name}`);
        return;
      }
      await withClient(adminUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

export async function createEmbeddedDatabase(scale: number): Promise<BenchDatabase> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `${databaseName(scale)}-`));
  const { PGlite } = await import('@electric-sql/pglite');
  return {
    kind: 'embedded',
    label: `PGlite ${dir}`,
    env: { ...CLEARED, DATABASE_URL: '', DATA_DIR: dir },
    async version() {
      const db = new PGlite();
      try {
        const { rows } = await db.query<{ v: string }>(`SELECT current_setting('server_version') AS v`);
        return `PGlite ${packageVersion('@electric-sql/pglite')} (PostgreSQL ${rows[0]!.v})`;
      } finally {
        await db.close();
      }
    },
    async open() {
      const dbs = {} as Record<ServiceName, InstanceType<typeof PGlite>>;
      for (const s of SERVICES) {
        dbs[s] = new PGlite(path.join(dir, s));
        await dbs[s].waitReady;
      }
      return {
        query: async <R>(service: ServiceName, sql: string, params?: unknown[]) => (await dbs[service].query<R>(sql, params)).rows,
        vacuumAnalyze: async () => {
          for (const db of Object.values(dbs)) await db.exec('VACUUM (ANALYZE)');
        },
        close: async () => {
          for (const db of Object.values(dbs)) await db.close();
        },
      };
    },
    async dispose(keep) {
      if (keep) {
        console.log(`[bench] kept DATA_DIR ${dir}`);
        return;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface DatasetCounts {
  /** Rows per table (table name → count), and synthetic rows where the table records provenance. */
  rows: Record<string, number>;
  synthetic: Record<string, number>;
}

const TABLES: [ServiceName, string, boolean][] = [
  ['networks', 'Province', false],
  ['networks', 'Network', true],
  ['agencies', 'Agency', true],
  ['agencies', 'Person', true],
  ['activities', 'Activity', true],
  ['activities', 'ActivityOrganizer', false],
  ['activities', 'ActivityParticipant', false],
  ['activities', 'ParticipationSummary', false],
  ['awards', 'Recognition', true],
];

export async function datasetCounts(sql: SqlAccess): Promise<DatasetCounts> {
  const rows: Record<string, number> = {};
  const synthetic: Record<string, number> = {};
  for (const [service, table, provenance] of TABLES) {
    const columns = provenance ? `, count(*) FILTER (WHERE "sourceKind" = 'SYNTHETIC')::int AS synthetic` : '';
    const [row] = await sql.query<{ n: number; synthetic?: number }>(service, `SELECT count(*)::int AS n${columns} FROM "${table}"`);
    rows[table] = row!.n;
    if (provenance) synthetic[table] = row!.synthetic ?? 0;
  }
  return { rows, synthetic };
}
