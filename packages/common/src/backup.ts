/**
 * Backups of every service's database in one file, and their restore (`npm run db:backup`,
 * `npm run db:restore <file>`; docs/OPERATIONS.md, "Backups").
 *
 * - Embedded default: PGlite's own dump of each data directory (a gzipped tarball), taken by the
 *   running service when `npm start` runs (between statements, after a checkpoint: a consistent
 *   snapshot while it keeps serving), or by opening the directory when nothing runs.
 * - PostgreSQL: `pg_dump --format=custom` of each service's schema (and the gateway's), restored with
 *   `pg_restore` after the schema is dropped, so the result is exactly the backed-up state.
 *
 * The file is a zip: `manifest.json` (what, when, each service's applied migrations and checksum) and
 * one entry per service. A restore refuses a backup whose migrations this code does not know (it
 * came from a newer version), a backup of the other kind of database, a damaged file, and running
 * services; it keeps the replaced embedded directories beside the new ones until you delete them.
 */
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
  openSync,
  fsyncSync,
  closeSync,
} from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { PROJECT_ROOT, SERVICES, serviceConfig, viewerSecret, type Env, type ServiceName } from './config.ts';
import { openDatabase, withPgClient } from './database.ts';
import { prismaProject } from './project.ts';
import { remoteBackup, routeFor } from './admin.ts';
import { acquireDataLock, DataDirLocked, inspectLock } from './embedded/lock.ts';
import { dumpEmbedded, openEmbedded } from './embedded/pglite.ts';

export const BACKUP_FORMAT = 'moral-registry-backup';
export const BACKUP_VERSION = 1;

export interface BackupEntry {
  file: string;
  /** Applied migrations of the service's database when it was backed up. */
  migrations: string[];
  bytes: number;
  sha256: string;
}

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  version: number;
  createdAt: string;
  database: 'pglite' | 'postgres';
  services: Partial<Record<ServiceName, BackupEntry>>;
  /** The gateway's API keys and trusted documents (files on the embedded default, schema `gateway` on PostgreSQL). */
  gateway: { file: string; bytes: number; sha256: string } | null;
}

/** A backup that cannot be restored here, with the reason in words. */
export class BackupRefused extends Error {
  override name = 'BackupRefused';
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

function kindOf(env: Env): 'pglite' | 'postgres' {
  const kinds = new Set(SERVICES.map((s) => serviceConfig(s, env).database.kind));
  if (kinds.size > 1)
    throw new BackupRefused(
      'some services use PostgreSQL and others the embedded database; back them up separately (pg_dump for PostgreSQL)',
    );
  return [...kinds][0]!;
}

function localMigrations(service: ServiceName): string[] {
  const dir = prismaProject(service).migrationsDir;
  return existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
        .sort()
    : [];
}

/** Runs a PostgreSQL client program; the error names the program and its last lines of stderr. */
function run(program: string, args: string[], input?: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        new BackupRefused(
          error.code === 'ENOENT'
            ? `${program} was not found: install the PostgreSQL client programs (same major version as the server or newer)`
            : `${program}: ${error.message}`,
        ),
      ),
    );
    child.on('close', (code) =>
      code === 0
        ? resolve(Buffer.concat(out))
        : reject(new BackupRefused(`${program} failed (exit ${code}): ${err.trim().split('\n').slice(-3).join(' ')}`)),
    );
    child.stdin.end(input);
  });
}

/** Connection string without the schema options our pools add; pg_dump takes the schema separately. */
const withoutPassword = (url: string) => url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');

async function schemaExists(url: string, schema: string): Promise<boolean> {
  return withPgClient(
    url,
    async (client) => (await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])).rowCount === 1,
  );
}

export interface BackupResult {
  file: string;
  manifest: BackupManifest;
  /** How each service's part was taken ("through the running service", "opened directly", "pg_dump"). */
  how: Partial<Record<ServiceName, string>>;
}

/** Writes a backup of every service's database to `outDir` (created if missing); returns the file. */
export async function createBackup(env: Env, outDir: string, log: (line: string) => void = () => {}): Promise<BackupResult> {
  const database = kindOf(env);
  const zip = new JSZip();
  const manifest: BackupManifest = {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    createdAt: new Date().toISOString(),
    database,
    services: {},
    gateway: null,
  };
  const how: BackupResult['how'] = {};
  for (const service of SERVICES) {
    const config = serviceConfig(service, env);
    let data: Buffer;
    let migrations: string[];
    if (config.database.kind === 'postgres') {
      const db = await openDatabase({
        config: config.database,
        project: prismaProject(service),
        createClient: () => ({ $disconnect: async () => {} }),
      });
      try {
        migrations = (await db.migrationStatus()).applied;
      } finally {
        await db.close();
      }
      data = await run('pg_dump', [
        '--format=custom',
        '--no-owner',
        '--no-privileges',
        `--schema=${config.database.schema}`,
        `--dbname=${config.database.url}`,
      ]);
      how[service] = `pg_dump of schema "${config.database.schema}" (${withoutPassword(config.database.url)})`;
    } else {
      const route = routeFor(config);
      if (route.via === 'service') {
        const part = await remoteBackup({ url: route.url, secret: viewerSecret(env), command: 'npm run db:backup' });
        data = part.tarball;
        migrations = part.header.migrations;
        how[service] = `through the running service (pid ${route.holder.pid})`;
      } else {
        const db = await openDatabase({
          config: config.database,
          project: prismaProject(service),
          createClient: () => ({ $disconnect: async () => {} }),
          purpose: 'npm run db:backup',
        });
        try {
          migrations = (await db.migrationStatus()).applied;
          data = Buffer.from(await (await dumpEmbedded(db.embedded!.pglite)).arrayBuffer());
        } finally {
          await db.close();
        }
        how[service] = 'opened directly (no service was running)';
      }
    }
    const file = `${service}.${database === 'pglite' ? 'tar.gz' : 'pgdump'}`;
    zip.file(file, data);
    manifest.services[service] = { file, migrations, bytes: data.length, sha256: sha256(data) };
    log(`[${service}] ${data.length.toLocaleString('en-US')} bytes, ${migrations.length} migrations, ${how[service]}`);
  }
  // The gateway's own small store: API keys (hashes) and trusted documents.
  const gateway = await gatewayPart(env);
  if (gateway) {
    zip.file(gateway.file, gateway.data);
    manifest.gateway = { file: gateway.file, bytes: gateway.data.length, sha256: sha256(gateway.data) };
    log(`[gateway] ${gateway.data.length.toLocaleString('en-US')} bytes (API keys and trusted documents)`);
  }
  zip.file('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
  const content = await zip.generateAsync({ type: 'nodebuffer', compression: 'STORE' });
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `registry-${manifest.createdAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${database}.zip`);
  // Written beside, synced, then renamed: a backup file is either whole or absent.
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, content);
  const fd = openSync(temp, 'r');
  fsyncSync(fd);
  closeSync(fd);
  renameSync(temp, file);
  return { file, manifest, how };
}

const GATEWAY_FILES = ['api-keys.json', 'documents.json'];
/** Where the gateway keeps its files on the embedded default (gateway/src/api-keys.ts, security/documents.ts). */
const gatewayDir = (env: Env) => path.resolve(PROJECT_ROOT, env.DATA_DIR, 'gateway');

async function gatewayPart(env: Env): Promise<{ file: string; data: Buffer } | null> {
  const url = env.GATEWAY_DATABASE_URL ?? env.DATABASE_URL;
  if (url) {
    if (!(await schemaExists(url, 'gateway'))) return null;
    return {
      file: 'gateway.pgdump',
      data: await run('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', '--schema=gateway', `--dbname=${url}`]),
    };
  }
  const dir = gatewayDir(env);
  const files = GATEWAY_FILES.filter((f) => existsSync(path.join(dir, f)));
  if (!files.length) return null;
  const zip = new JSZip();
  for (const f of files) zip.file(f, readFileSync(path.join(dir, f)));
  return { file: 'gateway.zip', data: await zip.generateAsync({ type: 'nodebuffer' }) };
}

// ---------------------------------------------------------------------------------------------

export interface RestoreResult {
  manifest: BackupManifest;
  /** Embedded directories set aside (kept until the operator deletes them). */
  setAside: string[];
  /** Per service: migrations in this code that the backup lacks (applied at the next start). */
  pending: Partial<Record<ServiceName, string[]>>;
}

async function readBackup(file: string): Promise<{ manifest: BackupManifest; parts: Map<string, Buffer> }> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(readFileSync(file));
  } catch (error) {
    throw new BackupRefused(`${file} is not a registry backup (${(error as Error).message})`);
  }
  const manifestEntry = zip.file('manifest.json');
  if (!manifestEntry) throw new BackupRefused(`${file} is not a registry backup (no manifest.json)`);
  const manifest = JSON.parse(await manifestEntry.async('string')) as BackupManifest;
  if (manifest.format !== BACKUP_FORMAT || manifest.version !== BACKUP_VERSION) {
    throw new BackupRefused(`${file} is a backup format this version cannot read (${manifest.format} ${manifest.version})`);
  }
  const parts = new Map<string, Buffer>();
  const entries = [...Object.values(manifest.services), ...(manifest.gateway ? [manifest.gateway] : [])];
  for (const entry of entries) {
    const data = await zip.file(entry.file)?.async('nodebuffer');
    if (!data || sha256(data) !== entry.sha256)
      throw new BackupRefused(`${file} is damaged: ${entry.file} is missing or does not match its checksum`);
    parts.set(entry.file, data);
  }
  return { manifest, parts };
}

/** Checks everything before anything is replaced: kind of database, migration level, nothing running. */
async function checkRestorable(env: Env, file: string, manifest: BackupManifest): Promise<Partial<Record<ServiceName, string[]>>> {
  const database = kindOf(env);
  if (manifest.database !== database) {
    throw new BackupRefused(
      `${path.basename(file)} is a backup of the ${manifest.database === 'pglite' ? 'embedded database (PGlite)' : 'PostgreSQL databases'}, and this configuration uses ${database === 'pglite' ? 'the embedded database' : 'PostgreSQL'}; restore it with the configuration it was made with`,
    );
  }
  const problems: string[] = [];
  const pending: Partial<Record<ServiceName, string[]>> = {};
  for (const service of SERVICES) {
    const entry = manifest.services[service];
    if (!entry) {
      problems.push(`${service}: not in this backup`);
      continue;
    }
    const local = localMigrations(service);
    const unknown = entry.migrations.filter((m) => !local.includes(m));
    if (unknown.length) {
      problems.push(
        `${service}: the backup was made by a newer version of the registry (migrations not in this code: ${unknown.join(', ')}); restore it with that version`,
      );
    }
    pending[service] = local.filter((m) => !entry.migrations.includes(m));
    const config = serviceConfig(service, env);
    if (config.database.kind === 'pglite' && config.database.dataDir) {
      const lock = inspectLock(config.database.dataDir);
      if (lock.state === 'held')
        problems.push(
          new DataDirLocked(config.database.dataDir, lock.holder).message.replace(
            /let the running services.*$/,
            'a restore replaces the database, so the services must be stopped.',
          ),
        );
    } else if (config.database.kind === 'postgres') {
      const { url, schema } = config.database;
      await withPgClient(url, async (client) => {
        // A service that has just stopped may take a moment to close its connections.
        let open: { state: string; query: string }[] = [];
        for (let attempt = 0; attempt < 20; attempt++) {
          open = (
            await client.query<{ state: string; query: string }>(
              'SELECT state, left(query, 80) AS query FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid() AND datname = current_database()',
              [`moral-registry/${schema}`],
            )
          ).rows;
          if (!open.length) break;
          await new Promise((r) => setTimeout(r, 250));
        }
        if (open.length) {
          problems.push(
            `${service}: ${open.length} connections of the running ${service} service are open (application_name moral-registry/${schema}, ${open.map((o) => `${o.state}: ${o.query}`).join('; ')}); stop the services first, a restore replaces the schema`,
          );
        }
      });
    }
  }
  if (problems.length) throw new BackupRefused(`cannot restore ${path.basename(file)}:\n  ${problems.join('\n  ')}`);
  return pending;
}

/** Replaces every service's database by the backup's (the services must be stopped). */
export async function restoreBackup(env: Env, file: string, log: (line: string) => void = () => {}): Promise<RestoreResult> {
  const { manifest, parts } = await readBackup(file);
  const pending = await checkRestorable(env, file, manifest);
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const setAside: string[] = [];
  for (const service of SERVICES) {
    const entry = manifest.services[service]!;
    const data = parts.get(entry.file)!;
    const config = serviceConfig(service, env);
    if (config.database.kind === 'postgres') {
      const schema = config.database.schema;
      await withPgClient(config.database.url, (client) => client.query(`DROP SCHEMA IF EXISTS "${schema.replace(/"/g, '')}" CASCADE`));
      await run('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', `--dbname=${config.database.url}`], data);
      log(`[${service}] schema "${schema}" restored (${entry.migrations.length} migrations)`);
      continue;
    }
    const dataDir = config.database.dataDir!;
    // Held for the whole swap, so no service starts on a half-restored directory.
    const lock = acquireDataLock(dataDir, 'npm run db:restore');
    let aside: string | null = null;
    try {
      if (existsSync(dataDir)) {
        aside = `${dataDir}.before-restore-${stamp}`;
        renameSync(dataDir, aside);
      }
      try {
        const db = await openEmbedded({ dataDir, purpose: 'npm run db:restore', lock, loadDataDir: new Blob([new Uint8Array(data)]) });
        await db.pglite.query('SELECT 1');
        await db.close();
      } catch (error) {
        // Put the previous directory back: a failed restore leaves things as they were.
        rmSync(dataDir, { recursive: true, force: true });
        if (aside) renameSync(aside, dataDir);
        aside = null;
        throw error;
      }
    } finally {
      lock.release();
    }
    if (aside) setAside.push(aside);
    log(`[${service}] ${dataDir} restored (${entry.migrations.length} migrations)${aside ? `; the previous one is in ${aside}` : ''}`);
  }
  if (manifest.gateway) {
    const data = parts.get(manifest.gateway.file)!;
    const url = env.GATEWAY_DATABASE_URL ?? env.DATABASE_URL;
    if (url) {
      await withPgClient(url, (client) => client.query('DROP SCHEMA IF EXISTS gateway CASCADE'));
      await run('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', `--dbname=${url}`], data);
    } else {
      const dir = gatewayDir(env);
      mkdirSync(dir, { recursive: true });
      const zip = await JSZip.loadAsync(data);
      for (const name of GATEWAY_FILES) {
        const content = await zip.file(name)?.async('nodebuffer');
        if (content) writeFileSync(path.join(dir, name), content, { mode: 0o600 });
      }
    }
    log('[gateway] API keys and trusted documents restored');
  }
  return { manifest, setAside, pending };
}
