/**
 * What the gateway's own small stores (API keys, trusted documents) are built on: a JSON file on the
 * embedded default, or a table in the gateway's PostgreSQL schema.
 */
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';

/** A JSON array in a file, written atomically (mode 600), re-read only when the file changes. */
export class JsonFile<T> {
  private cache: { mtimeMs: number; items: T[] } | null = null;
  constructor(readonly location: string) {}

  async load(): Promise<T[]> {
    let mtimeMs: number;
    try {
      mtimeMs = (await stat(this.location)).mtimeMs;
    } catch {
      return [];
    }
    if (this.cache?.mtimeMs !== mtimeMs) {
      this.cache = { mtimeMs, items: JSON.parse(await readFile(this.location, 'utf8')) as T[] };
    }
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
