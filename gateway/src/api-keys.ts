/**
 * API keys of partner apps (and of servers acting for a role). A key is shown once, when created;
 * only its SHA-256 hash is stored (the keys are 256-bit random, so a fast hash is enough: there is
 * nothing to guess). Kept in PostgreSQL (table `api_keys` in the gateway's own schema) when a
 * database URL is configured, so every gateway replica sees the same keys; otherwise in a JSON file
 * under DATA_DIR for the embedded default. Created, listed and revoked with `npm run apikey`.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { PROJECT_ROOT, ROLES, existingProvince, type Env, type Role } from '@moral-registry/common';
import { GatewaySchema, JsonFile } from './stores.ts';

export interface ApiKey {
  id: string;
  name: string;
  role: Role;
  provinceCode: string | null;
  createdAt: string;
  createdBy: string | null;
  revokedAt: string | null;
}

interface StoredKey extends ApiKey {
  hash: string;
}

export interface ApiKeyStore {
  readonly location: string;
  create(input: {
    name: string;
    role: Role;
    provinceCode?: string | null;
    createdBy?: string | null;
  }): Promise<{ key: string; record: ApiKey }>;
  list(): Promise<ApiKey[]>;
  /** Returns the revoked key, or null when there is no such key. */
  revoke(id: string): Promise<ApiKey | null>;
  /** The live (not revoked) key with this hash. */
  findByHash(hash: string): Promise<ApiKey | null>;
  close(): Promise<void>;
}

export const hashKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

const KEY_PATTERN = /^mrk_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{43}$/;
export const looksLikeKey = (key: string): boolean => KEY_PATTERN.test(key);

function newKey(): { id: string; key: string } {
  const id = randomUUID().replace(/-/g, '').slice(0, 8);
  return { id, key: `mrk_${id}_${randomBytes(32).toString('base64url')}` };
}

function checkInput(input: { name: string; role: Role; provinceCode?: string | null }): {
  name: string;
  role: Role;
  provinceCode: string | null;
} {
  const name = input.name.normalize('NFC').trim();
  if (!name) throw new Error('--name is required');
  if (!ROLES.includes(input.role) || input.role === 'ANONYMOUS') {
    throw new Error(`--role must be one of ${ROLES.filter((r) => r !== 'ANONYMOUS').join(', ')}`);
  }
  const provinceCode = input.provinceCode ? existingProvince('province', input.provinceCode) : null;
  if (input.role === 'PROVINCIAL_EDITOR' && !provinceCode) throw new Error('a PROVINCIAL_EDITOR key needs --province');
  return { name, role: input.role, provinceCode };
}

const publicPart = ({ hash: _hash, ...key }: StoredKey): ApiKey => key;

/** Keys in a JSON file (embedded default); written atomically, re-read when the file changes. */
export class FileApiKeyStore extends JsonFile<StoredKey> implements ApiKeyStore {
  async create(input: { name: string; role: Role; provinceCode?: string | null; createdBy?: string | null }) {
    const checked = checkInput(input);
    const { id, key } = newKey();
    const stored: StoredKey = {
      id,
      ...checked,
      createdAt: new Date().toISOString(),
      createdBy: input.createdBy ?? null,
      revokedAt: null,
      hash: hashKey(key),
    };
    await this.save([...(await this.load()), stored]);
    return { key, record: publicPart(stored) };
  }

  async list() {
    return (await this.load()).map(publicPart);
  }

  async revoke(id: string) {
    const keys = await this.load();
    const found = keys.find((k) => k.id === id);
    if (!found) return null;
    const updated = keys.map((k) => (k.id === id && !k.revokedAt ? { ...k, revokedAt: new Date().toISOString() } : k));
    await this.save(updated);
    return publicPart(updated.find((k) => k.id === id)!);
  }

  async findByHash(hash: string) {
    const found = (await this.load()).find((k) => k.hash === hash && !k.revokedAt);
    return found ? publicPart(found) : null;
  }

  async close() {}
}

/** Keys in PostgreSQL: table `<schema>.api_keys`, created when missing. */
export class PostgresApiKeyStore extends GatewaySchema implements ApiKeyStore {
  constructor(url: string, schema = 'gateway') {
    super(
      url,
      schema,
      (schema) =>
        `CREATE TABLE IF NOT EXISTS "${schema}".api_keys (
           id text PRIMARY KEY,
           name text NOT NULL,
           role text NOT NULL,
           province_code text,
           hash text NOT NULL UNIQUE,
           created_at timestamptz NOT NULL DEFAULT now(),
           created_by text,
           revoked_at timestamptz
         )`,
    );
  }

  private row(r: Record<string, any>): ApiKey {
    return {
      id: r.id,
      name: r.name,
      role: r.role,
      provinceCode: r.province_code,
      createdAt: new Date(r.created_at).toISOString(),
      createdBy: r.created_by,
      revokedAt: r.revoked_at ? new Date(r.revoked_at).toISOString() : null,
    };
  }

  async create(input: { name: string; role: Role; provinceCode?: string | null; createdBy?: string | null }) {
    await this.ready();
    const checked = checkInput(input);
    const { id, key } = newKey();
    const { rows } = await this.pool.query(
      `INSERT INTO "${this.schema}".api_keys (id, name, role, province_code, hash, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [id, checked.name, checked.role, checked.provinceCode, hashKey(key), input.createdBy ?? null],
    );
    return { key, record: this.row(rows[0]) };
  }

  async list() {
    await this.ready();
    const { rows } = await this.pool.query(`SELECT * FROM "${this.schema}".api_keys ORDER BY created_at, id`);
    return rows.map((r) => this.row(r));
  }

  async revoke(id: string) {
    await this.ready();
    const { rows } = await this.pool.query(
      `UPDATE "${this.schema}".api_keys SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 RETURNING *`,
      [id],
    );
    return rows[0] ? this.row(rows[0]) : null;
  }

  async findByHash(hash: string) {
    await this.ready();
    const { rows } = await this.pool.query(`SELECT * FROM "${this.schema}".api_keys WHERE hash = $1 AND revoked_at IS NULL`, [hash]);
    return rows[0] ? this.row(rows[0]) : null;
  }
}

/** The configured store: PostgreSQL when GATEWAY_DATABASE_URL or DATABASE_URL is set, else DATA_DIR/gateway/api-keys.json. */
export function openApiKeyStore(env: Env): ApiKeyStore {
  const url = env.GATEWAY_DATABASE_URL ?? env.DATABASE_URL;
  if (url) return new PostgresApiKeyStore(url);
  return new FileApiKeyStore(path.resolve(PROJECT_ROOT, env.DATA_DIR, 'gateway', 'api-keys.json'));
}
