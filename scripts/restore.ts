/**
 * `npm run db:restore -- <file>`: puts back every service's database from a backup made by
 * `npm run db:backup` (docs/OPERATIONS.md, "Backups"). The services must be stopped. Refused, with the
 * reason, for a backup made by a newer version (migrations this code does not know), a backup of the
 * other kind of database, or a damaged file. Replaced embedded directories are kept beside the new
 * ones (`.data/<service>.before-restore-<time>`) until you delete them.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BackupRefused, DataDirLocked, EmbeddedDatabaseError, readEnv, restoreBackup } from '../packages/common/src/index.ts';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } });
if (values.help || positionals.length !== 1) {
  console.log('usage: npm run db:restore -- <backup file>   (stop npm start first)');
  process.exit(values.help ? 0 : 2);
}
const file = path.resolve(process.env.INIT_CWD ?? process.cwd(), positionals[0]!);
try {
  const result = await restoreBackup(readEnv(), file, (line) => console.log(line));
  const pending = Object.entries(result.pending).filter(([, m]) => m && m.length);
  console.log(`restored the backup of ${result.manifest.createdAt}`);
  if (pending.length)
    console.log(`newer migrations will be applied at the next start: ${pending.map(([s, m]) => `${s}: ${m!.join(', ')}`).join('; ')}`);
  if (result.setAside.length) console.log(`the replaced directories are kept until you delete them: ${result.setAside.join(', ')}`);
} catch (error) {
  if (![DataDirLocked, EmbeddedDatabaseError, BackupRefused].some((type) => error instanceof type)) throw error;
  console.error(`db:restore: ${(error as Error).message}`);
  process.exit(1);
}
