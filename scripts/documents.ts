/**
 * Trusted documents of partner apps (gateway/src/security/documents.ts, docs/SECURITY.md):
 *   npm run documents -- register <persisted-documents.json> [--key-id <api key id>]
 *   npm run documents -- list [--key-id <api key id>]
 *   npm run documents -- remove <document id> [--key-id <api key id>]
 * The manifest is what graphql-codegen's client preset writes with `persistedDocuments: true`. Every
 * document is checked against the supergraph before any is stored. Without --key-id a document may be
 * run by every partner key; with it, by that key only. With DATABASE_URL (or GATEWAY_DATABASE_URL)
 * documents live in PostgreSQL, shared by every gateway replica; otherwise in DATA_DIR/gateway/documents.json.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT, readEnv } from '../packages/common/src/index.ts';
import { openApiKeyStore } from '../gateway/src/api-keys.ts';
import { runStoreCommand } from '../gateway/src/stores.ts';
import { costSchema } from '../gateway/src/security/cost.ts';
import { checkManifest, openDocumentStore, readManifest } from '../gateway/src/security/documents.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'key-id': { type: 'string' }, by: { type: 'string' } },
});
const [command, argument] = positionals;
const env = readEnv();
const store = openDocumentStore(env);
const keyId = values['key-id'] ?? null;

/** A document registered for a key must name a live partner key: a typo would register it for nobody. */
async function checkKey(id: string): Promise<void> {
  const keys = openApiKeyStore(env);
  try {
    const key = (await keys.list()).find((k) => k.id === id);
    if (!key) throw new Error(`No API key ${id} in ${keys.location} (npm run apikey -- list)`);
    if (key.revokedAt) throw new Error(`API key ${id} was revoked at ${key.revokedAt}`);
    if (key.role !== 'PARTNER')
      throw new Error(`API key ${id} is a ${key.role} key: only PARTNER keys are limited to registered documents`);
  } finally {
    await keys.close();
  }
}

await runStoreCommand(store, async () => {
  if (command === 'register' && argument) {
    if (keyId) await checkKey(keyId);
    const entries = checkManifest(
      readManifest(JSON.parse(readFileSync(argument, 'utf8'))),
      costSchema(readFileSync(path.join(PROJECT_ROOT, 'schema', 'supergraph.graphql'), 'utf8')),
    );
    const { added, unchanged } = await store.register(entries, { keyId, registeredBy: values.by ?? process.env.USER ?? null });
    console.log(
      `Registered ${added} document(s) (${unchanged} already registered) for ${keyId ? `API key ${keyId}` : 'every partner key'} in ${store.location}.`,
    );
  } else if (command === 'list') {
    const documents = (await store.list()).filter((d) => !keyId || d.keyId === keyId);
    if (!documents.length) console.log(`No trusted documents in ${store.location}.`);
    for (const d of documents)
      console.log(`${d.id}  ${(d.keyId ?? 'every partner').padEnd(13)}  ${d.registeredAt}  ${d.operationNames.join(', ')}`);
  } else if (command === 'remove' && argument) {
    const removed = await store.remove(argument, keyId ?? undefined);
    if (!removed) {
      console.error(`No trusted document ${argument}${keyId ? ` for API key ${keyId}` : ''} in ${store.location}.`);
      process.exitCode = 1;
    } else console.log(`Removed ${removed} registration(s) of ${argument}; the gateway refuses it within API_KEY_CACHE_SECONDS.`);
  } else {
    console.error(
      'usage: npm run documents -- register <persisted-documents.json> [--key-id <id>] | list [--key-id <id>] | remove <id> [--key-id <id>]',
    );
    process.exitCode = 2;
  }
});
