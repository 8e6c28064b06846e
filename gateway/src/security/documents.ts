/**
 * Trusted documents: the operations a partner app registered ahead of time, from the manifest that
 * graphql-codegen's client preset writes (`persistedDocuments: true` → persisted-documents.json, a
 * map of document id → document). Kept, like the API keys, in PostgreSQL (table `trusted_documents`
 * in the gateway's schema) when a database URL is configured, otherwise in a JSON file under
 * DATA_DIR; registered, listed and removed with `npm run documents`.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { parse, validate, type GraphQLSchema } from 'graphql';
import { PROJECT_ROOT, type Env } from '@moral-registry/common';
import { GatewaySchema, JsonFile } from '../stores.ts';

export interface TrustedDocument {
  id: string;
  document: string;
  /** The names of the document's operations, for `npm run documents -- list`. */
  operationNames: string[];
  /** The API key the document was registered for; null: every partner. */
  keyId: string | null;
  registeredAt: string;
  registeredBy: string | null;
}

export interface ManifestEntry {
  id: string;
  document: string;
}

export interface DocumentStore {
  readonly location: string;
  /** Registers entries already checked by checkManifest; registering the same document again changes nothing. */
  register(
    entries: (ManifestEntry & { operationNames: string[] })[],
    options?: { keyId?: string | null; registeredBy?: string | null },
  ): Promise<{ added: number; unchanged: number }>;
  list(): Promise<TrustedDocument[]>;
  /** Removes the document with this id (only the registration for `keyId` when given); returns how many went. */
  remove(id: string, keyId?: string | null): Promise<number>;
  /** Every registration of a document id (any key). */
  find(id: string): Promise<TrustedDocument[]>;
  close(): Promise<void>;
}

const ID_PATTERN = /^[A-Za-z0-9:_.-]{1,200}$/;
const SHA256_ID = /^(sha256:)?([0-9a-f]{64})$/;

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * The ids a lookup tries: codegen writes `sha256:<hex>`, Apollo clients send the bare hex in
 * `extensions.persistedQuery.sha256Hash`; both name the same document.
 */
export function idVariants(id: string): string[] {
  const hex = SHA256_ID.exec(id)?.[2];
  return hex ? [`sha256:${hex}`, hex] : [id];
}

/**
 * Reads a manifest: graphql-codegen's `{ "<id>": "<document>" }`, or Apollo's persisted query manifest
 * (`{ "format": "apollo-persisted-query-manifest", "operations": [{ "id", "body" }] }`).
 */
export function readManifest(json: unknown): ManifestEntry[] {
  if (json && typeof json === 'object' && (json as { format?: unknown }).format === 'apollo-persisted-query-manifest') {
    const operations = (json as { operations?: unknown }).operations;
    if (!Array.isArray(operations)) throw new Error('The manifest has no operations list');
    return operations.map((o: { id?: unknown; body?: unknown }) => ({ id: String(o.id), document: String(o.body) }));
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) {
    throw new Error('The manifest must be a JSON object of document id → document (graphql-codegen persisted-documents.json)');
  }
  return Object.entries(json).map(([id, document]) => ({ id, document: String(document) }));
}

/**
 * Checks every entry before anything is stored: a well-formed id, the id matching the document when
 * it is a SHA-256 hash, and a document valid against the supergraph. Lists every problem at once.
 */
export function checkManifest(entries: ManifestEntry[], schema: GraphQLSchema): (ManifestEntry & { operationNames: string[] })[] {
  const problems: string[] = [];
  const checked: (ManifestEntry & { operationNames: string[] })[] = [];
  if (!entries.length) problems.push('the manifest holds no documents');
  for (const { id, document } of entries) {
    if (!ID_PATTERN.test(id)) {
      problems.push(`${id.slice(0, 80)}: an id is 1 to 200 letters, digits and : _ . -`);
      continue;
    }
    const hex = SHA256_ID.exec(id)?.[2];
    if (hex && hex !== sha256(document)) {
      problems.push(`${id}: the id is not the SHA-256 hash of its document`);
      continue;
    }
    try {
      const ast = parse(document);
      const errors = validate(schema, ast);
      if (errors.length) {
        problems.push(...errors.map((e) => `${id}: ${e.message}`));
        continue;
      }
      const operationNames = ast.definitions.flatMap((d) => (d.kind === 'OperationDefinition' ? [d.name?.value ?? '(anonymous)'] : []));
      if (!operationNames.length) problems.push(`${id}: the document has no operation`);
      else checked.push({ id, document, operationNames });
    } catch (error) {
      problems.push(`${id}: ${(error as Error).message}`);
    }
  }
  if (problems.length) throw new Error(`The manifest was not registered:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return checked;
}

function conflict(id: string): Error {
  return new Error(`${id} is already registered with a different document: remove it first`);
}

/** Documents in a JSON file (embedded default); written atomically, re-read when the file changes. */
export class FileDocumentStore extends JsonFile<TrustedDocument> implements DocumentStore {
  async register(
    entries: (ManifestEntry & { operationNames: string[] })[],
    options: { keyId?: string | null; registeredBy?: string | null } = {},
  ) {
    const keyId = options.keyId ?? null;
    const documents = [...(await this.load())];
    let added = 0;
    for (const entry of entries) {
      const existing = documents.find((d) => d.id === entry.id && d.keyId === keyId);
      if (existing && existing.document !== entry.document) throw conflict(entry.id);
      if (existing) continue;
      documents.push({ ...entry, keyId, registeredAt: new Date().toISOString(), registeredBy: options.registeredBy ?? null });
      added++;
    }
    if (added) await this.save(documents);
    return { added, unchanged: entries.length - added };
  }

  async list() {
    return this.load();
  }

  async remove(id: string, keyId?: string | null) {
    const documents = await this.load();
    const kept = documents.filter((d) => !(idVariants(id).includes(d.id) && (keyId === undefined || d.keyId === keyId)));
    if (kept.length !== documents.length) await this.save(kept);
    return documents.length - kept.length;
  }

  async find(id: string) {
    const ids = idVariants(id);
    return (await this.load()).filter((d) => ids.includes(d.id));
  }

  async close() {}
}

/** Documents in PostgreSQL: table `<schema>.trusted_documents`, created when missing. */
export class PostgresDocumentStore extends GatewaySchema implements DocumentStore {
  constructor(url: string, schema = 'gateway') {
    // key_id '' stands for "every partner": a primary key cannot hold NULL.
    super(
      url,
      schema,
      (schema) =>
        `CREATE TABLE IF NOT EXISTS "${schema}".trusted_documents (
           id text NOT NULL,
           key_id text NOT NULL DEFAULT '',
           document text NOT NULL,
           operation_names text[] NOT NULL,
           registered_at timestamptz NOT NULL DEFAULT now(),
           registered_by text,
           PRIMARY KEY (id, key_id)
         )`,
    );
  }

  private row(r: Record<string, any>): TrustedDocument {
    return {
      id: r.id,
      document: r.document,
      operationNames: r.operation_names,
      keyId: r.key_id || null,
      registeredAt: new Date(r.registered_at).toISOString(),
      registeredBy: r.registered_by,
    };
  }

  async register(
    entries: (ManifestEntry & { operationNames: string[] })[],
    options: { keyId?: string | null; registeredBy?: string | null } = {},
  ) {
    await this.ready();
    const keyId = options.keyId ?? '';
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query(
        `SELECT id, document FROM "${this.schema}".trusted_documents WHERE key_id = $1 AND id = ANY($2)`,
        [keyId, entries.map((e) => e.id)],
      );
      const existing = new Map(rows.map((r) => [r.id as string, r.document as string]));
      const fresh = entries.filter((e) => !existing.has(e.id));
      const changed = entries.find((e) => existing.has(e.id) && existing.get(e.id) !== e.document);
      if (changed) throw conflict(changed.id);
      for (const e of fresh) {
        await client.query(
          `INSERT INTO "${this.schema}".trusted_documents (id, key_id, document, operation_names, registered_by) VALUES ($1, $2, $3, $4, $5)`,
          [e.id, keyId, e.document, e.operationNames, options.registeredBy ?? null],
        );
      }
      await client.query('COMMIT');
      return { added: fresh.length, unchanged: entries.length - fresh.length };
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  }

  async list() {
    await this.ready();
    const { rows } = await this.pool.query(`SELECT * FROM "${this.schema}".trusted_documents ORDER BY registered_at, id, key_id`);
    return rows.map((r) => this.row(r));
  }

  async remove(id: string, keyId?: string | null) {
    await this.ready();
    const { rowCount } =
      keyId === undefined
        ? await this.pool.query(`DELETE FROM "${this.schema}".trusted_documents WHERE id = ANY($1)`, [idVariants(id)])
        : await this.pool.query(`DELETE FROM "${this.schema}".trusted_documents WHERE id = ANY($1) AND key_id = $2`, [
            idVariants(id),
            keyId ?? '',
          ]);
    return rowCount ?? 0;
  }

  async find(id: string) {
    await this.ready();
    const { rows } = await this.pool.query(`SELECT * FROM "${this.schema}".trusted_documents WHERE id = ANY($1)`, [idVariants(id)]);
    return rows.map((r) => this.row(r));
  }
}

/** The configured store: PostgreSQL when GATEWAY_DATABASE_URL or DATABASE_URL is set, else DATA_DIR/gateway/documents.json. */
export function openDocumentStore(env: Env): DocumentStore {
  const url = env.GATEWAY_DATABASE_URL ?? env.DATABASE_URL;
  if (url) return new PostgresDocumentStore(url);
  return new FileDocumentStore(path.resolve(PROJECT_ROOT, env.DATA_DIR, 'gateway', 'documents.json'));
}
