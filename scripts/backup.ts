/**
 * `npm run db:backup [-- --out DIR]`: one file with every service's database (docs/OPERATIONS.md,
 * "Backups"): the running services take a consistent copy of their embedded databases while they
 * keep serving; with nothing running the directories are opened directly; on PostgreSQL, pg_dump of
 * each service's schema. Default DIR: backups/ at the project root.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  AdminRequestFailed,
  BackupRefused,
  DataDirLocked,
  EmbeddedDatabaseError,
  PROJECT_ROOT,
  createBackup,
  readEnv,
} from '../packages/common/src/index.ts';

const { values } = parseArgs({ options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
if (values.help) {
  console.log('usage: npm run db:backup [-- --out DIR]   (default DIR: backups/)');
  process.exit(0);
}
const out = values.out ? path.resolve(process.env.INIT_CWD ?? process.cwd(), values.out) : path.join(PROJECT_ROOT, 'backups');
try {
  const began = performance.now();
  const result = await createBackup(readEnv(), out, (line) => console.log(line));
  console.log(
    `wrote ${path.relative(process.env.INIT_CWD ?? process.cwd(), result.file)} in ${((performance.now() - began) / 1000).toFixed(1)} s`,
  );
  console.log(`restore it with: npm run db:restore -- ${result.file}`);
} catch (error) {
  if (![DataDirLocked, EmbeddedDatabaseError, AdminRequestFailed, BackupRefused].some((type) => error instanceof type)) throw error;
  console.error(`db:backup: ${(error as Error).message}`);
  process.exit(1);
}
