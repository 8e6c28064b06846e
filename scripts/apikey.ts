/**
 * API keys of partner apps, stored only as hashes (gateway/src/api-keys.ts):
 *   npm run apikey -- create --name "พอร์ทัลจังหวัด" --role PARTNER [--province TH-14]
 *   npm run apikey -- list
 *   npm run apikey -- revoke <id>
 * The key is printed once, at creation. With DATABASE_URL (or GATEWAY_DATABASE_URL) keys live in
 * PostgreSQL, shared by every gateway replica; otherwise in DATA_DIR/gateway/api-keys.json.
 */
import { parseArgs } from 'node:util';
import { readEnv, type Role } from '../packages/common/src/index.ts';
import { openApiKeyStore } from '../gateway/src/api-keys.ts';
import { runStoreCommand } from '../gateway/src/stores.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { name: { type: 'string' }, role: { type: 'string', default: 'PARTNER' }, province: { type: 'string' }, by: { type: 'string' } },
});
const [command, id] = positionals;
const store = openApiKeyStore(readEnv());
await runStoreCommand(store, async () => {
  if (command === 'create') {
    const { key, record } = await store.create({
      name: values.name ?? '',
      role: values.role!.toUpperCase() as Role,
      provinceCode: values.province,
      createdBy: values.by ?? process.env.USER ?? null,
    });
    console.log(
      `Created API key ${record.id} "${record.name}" (${record.role}${record.provinceCode ? `, ${record.provinceCode}` : ''}) in ${store.location}.`,
    );
    console.log('The key is shown only now; give it to the partner over a safe channel:');
    console.log(key);
  } else if (command === 'list') {
    const keys = await store.list();
    if (!keys.length) console.log(`No API keys in ${store.location}.`);
    for (const k of keys) {
      console.log(
        `${k.id}  ${k.role.padEnd(17)} ${(k.provinceCode ?? '-').padEnd(6)} ${k.revokedAt ? `revoked ${k.revokedAt}` : 'live'.padEnd(32)}  ${k.name}`,
      );
    }
  } else if (command === 'revoke' && id) {
    const revoked = await store.revoke(id);
    if (!revoked) {
      console.error(`No API key ${id} in ${store.location}.`);
      process.exitCode = 1;
    } else
      console.log(`Revoked ${revoked.id} "${revoked.name}" at ${revoked.revokedAt}; the gateway refuses it within API_KEY_CACHE_SECONDS.`);
  } else {
    console.error('usage: npm run apikey -- create --name "…" --role PARTNER [--province TH-14] | list | revoke <id>');
    process.exitCode = 2;
  }
});
