/**
 * What the gateway's own small stores (API keys, trusted documents) are built on: a JSON file on the
 * embedded default, or a table in the gateway's PostgreSQL schema.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';

/**
 * A JSON array in a file, written atomically (mode 600), read on every load and parsed again only
 * when its text changed. The text, not the modification time, says whether it changed: file times
 * advance in coarse ticks, so a rewrite by another process within the same tick keeps the time.
 */
export class JsonFile<T> {
  private cache: { text: string; items: T[] } | null = null;
  constructor(readonly location: string) {}

  async load(): Promise<T[]> {
    let text: string;
    try {
      text = await readFile(this.location, 'utf8');
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ENOENT') return [];
      throw error;
    }
    if (this.cache?.text !== text) this.cache = { text, items: JSON.parse(text) as T[] };
    return this.cache.items;
  }

  async save(items: T[]): Promise<void> {
    await mkdir(path.dirname(this.location), { recursive: true });
    const temp = `${this.location}.${process.pid}.tmp`;
    await writeFile(temp, `${JSON.stringify(items, null, 2)}\n`, { mode: 0o600 });
    await rename(temp, this.location);
    this.cache = null;
  }
}

/**
 * A small pool on the gateway's own PostgreSQL schema. `ready()` runs the DDL (CREATE … IF NOT
 * EXISTS) once; when it fails (the server down, another replica creating the schema at the same
 * moment) the next call tries again instead of keeping the failure.
 */
export class GatewaySchema {
  readonly pool: pg.Pool;
  readonly location: string;
  private readied: Promise<void> | null = null;

  constructor(
    url: string,
    readonly schema: string,
    private readonly ddl: (schema: string) => string,
  ) {
    if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`Invalid schema name ${schema}`);
    this.pool = new pg.Pool({ connectionString: url, max: 2 });
    this.location = `${url.replace(/\/\/[^@]*@/, '//')} (schema ${schema})`;
  }

  ready(): Promise<void> {
    this.readied ??= this.pool.query(`CREATE SCHEMA IF NOT EXISTS "${this.schema}"; ${this.ddl(this.schema)}`).then(
      () => undefined,
      (error: unknown) => {
        this.readied = null;
        throw error;
      },
    );
    return this.readied;
  }

  /** Tests: drops the schema. */
  async drop(): Promise<void> {
    await this.pool.query(`DROP SCHEMA IF EXISTS "${this.schema}" CASCADE`);
    this.readied = null;
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

/**
 * A command line over a store (`npm run apikey`, `npm run documents`): `run` sets the exit code it means
 * (1 when the record is not there, 2 for a wrong command line); an error prints its message and exits 2;
 * the store is closed either way.
 */
export async function runStoreCommand(store: { close(): Promise<void> }, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = 2;
  } finally {
    await store.close();
  }
}
