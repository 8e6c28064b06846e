/**
 * Prisma's schema engine, run as WebAssembly so that migrations work without downloading the native
 * engine (see shared notes: prisma-offline). The package entry imports a `.wasm` file, which Node 20
 * refuses, so the module is instantiated by hand.
 */
import { readFile, readdir, mkdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SchemaEngine, MigrationList } from '@prisma/schema-engine-wasm';

const require = createRequire(import.meta.url);

interface WasmApi {
  compile(bytes: Uint8Array): Promise<unknown>;
  instantiate(module: unknown, imports: Record<string, unknown>): Promise<{ exports: unknown }>;
}

let enginePromise: Promise<typeof import('@prisma/schema-engine-wasm/schema_engine_bg')> | undefined;

function loadEngineModule() {
  enginePromise ??= (async () => {
    const bgPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const bg = await import('@prisma/schema-engine-wasm/schema_engine_bg');
    const bytes = await readFile(path.join(path.dirname(bgPath), 'schema_engine_bg.wasm'));
    // Node's global WebAssembly; typed loosely because the project does not load the DOM typings.
    const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
    const module = await wasm.compile(bytes);
    const instance = await wasm.instantiate(module, { './schema_engine_bg.js': bg });
    const exports = instance.exports as Record<string, unknown> & { __wbindgen_start: () => void };
    (bg as unknown as { __wbg_set_wasm: (w: unknown) => void }).__wbg_set_wasm(exports);
    exports.__wbindgen_start();
    return bg;
  })();
  return enginePromise;
}

/** Any Prisma SQL driver-adapter factory that can also open a shadow database. */
export interface MigrationAdapterFactory {
  readonly provider: string;
  readonly adapterName: string;
  connect(): Promise<unknown>;
  connectToShadowDb(): Promise<unknown>;
}

export interface PrismaProject {
  /** Absolute path of `schema.prisma`. */
  schemaPath: string;
  /** Absolute path of the `migrations` directory beside it. */
  migrationsDir: string;
}

export async function openSchemaEngine(project: PrismaProject, adapterFactory: MigrationAdapterFactory): Promise<SchemaEngine> {
  const bg = await loadEngineModule();
  const content = await readFile(project.schemaPath, 'utf8');
  const log = (message: string) => {
    if (process.env.PRISMA_SCHEMA_ENGINE_DEBUG) console.error('[schema-engine]', message);
  };
  return bg.SchemaEngine.new(
    { datamodels: [[project.schemaPath, content]] },
    log,
    bindMigrationAwareSqlAdapterFactory(adapterFactory as never),
  );
}

export async function readMigrations(migrationsDir: string): Promise<MigrationList> {
  const entries = existsSync(migrationsDir) ? await readdir(migrationsDir, { withFileTypes: true }) : [];
  const directories = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const lockPath = path.join(migrationsDir, 'migration_lock.toml');
  return {
    baseDir: migrationsDir,
    lockfile: { path: 'migration_lock.toml', content: existsSync(lockPath) ? await readFile(lockPath, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories: await Promise.all(
      directories.map(async (dir) => {
        const file = path.join(migrationsDir, dir, 'migration.sql');
        try {
          return {
            path: dir,
            migrationFile: { path: 'migration.sql', content: { tag: 'ok' as const, value: await readFile(file, 'utf8') } },
          };
        } catch (error) {
          return { path: dir, migrationFile: { path: 'migration.sql', content: { tag: 'error' as const, value: String(error) } } };
        }
      }),
    ),
  };
}

const noFilters = { externalTables: [], externalEnums: [] };

/**
 * Applies every pending migration (what `prisma migrate deploy` does); returns the names applied.
 * With `disposeConnections` (PostgreSQL), the connections the engine opened are closed afterwards:
 * freeing the engine does not close them, and one of them keeps holding Prisma's migration advisory
 * lock, which makes every later migration on the same database wait out Prisma's 10-second timeout.
 */
export async function applyMigrations(
  project: PrismaProject,
  adapterFactory: MigrationAdapterFactory,
  options: { disposeConnections?: boolean } = {},
): Promise<string[]> {
  const opened: { dispose?: () => Promise<void> }[] = [];
  const track = async (connection: Promise<unknown>) => {
    const adapter = (await connection) as { dispose?: () => Promise<void> };
    opened.push(adapter);
    return adapter;
  };
  const factory: MigrationAdapterFactory = options.disposeConnections
    ? {
        provider: adapterFactory.provider,
        adapterName: adapterFactory.adapterName,
        connect: () => track(adapterFactory.connect()),
        connectToShadowDb: () => track(adapterFactory.connectToShadowDb()),
      }
    : adapterFactory;
  const engine = await openSchemaEngine(project, factory);
  try {
    const result = await engine.applyMigrations({ migrationsList: await readMigrations(project.migrationsDir), filters: noFilters });
    return result.appliedMigrationNames;
  } finally {
    engine.free();
    await Promise.all(opened.map((adapter) => adapter.dispose?.().catch(() => undefined)));
  }
}

/**
 * The SQL that would take the database described by the migrations to the one described by
 * `schema.prisma`. Empty when they agree; the drift check and `db:migration` use it. The migrations
 * are replayed on the adapter's shadow database.
 */
export async function diffMigrationsToSchema(project: PrismaProject, adapterFactory: MigrationAdapterFactory): Promise<string> {
  const engine = await openSchemaEngine(project, adapterFactory);
  try {
    const schema = await readFile(project.schemaPath, 'utf8');
    const result = await engine.diff({
      from: { tag: 'migrations', ...(await readMigrations(project.migrationsDir)) },
      to: { tag: 'schemaDatamodel', files: [{ path: project.schemaPath, content: schema }] },
      script: true,
      exitCode: null,
      filters: noFilters,
    });
    return result.stdout ?? '';
  } finally {
    engine.free();
  }
}

/** Writes a new migration directory with the SQL that brings the migrations up to `schema.prisma`. */
export async function createMigration(
  project: PrismaProject,
  adapterFactory: MigrationAdapterFactory,
  name: string,
): Promise<string | null> {
  const lock = path.join(project.migrationsDir, 'migration_lock.toml');
  if (!existsSync(lock)) {
    await mkdir(project.migrationsDir, { recursive: true });
    await writeFile(
      lock,
      '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n',
    );
  }
  const sql = await diffMigrationsToSchema(project, adapterFactory);
  if (!hasStatements(sql)) return null;
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const dir = path.join(project.migrationsDir, `${stamp}_${name}`);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'migration.sql'), sql);
  return dir;
}

export function hasStatements(sql: string): boolean {
  return sql
    .split('\n')
    .map((line) => line.trim())
    .some((line) => line.length > 0 && !line.startsWith('--'));
}
