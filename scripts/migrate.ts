/**
 * `npm run db:migrate`: applies every service's pending Prisma migrations (through the WebAssembly
 * schema engine) to its own database: the embedded PGlite directory, or its PostgreSQL schema when
 * DATABASE_URL (or <SERVICE>_DATABASE_URL) is set. While `npm start` runs on the embedded default, the
 * running service applies them (it owns its directory); a directory held by another command is refused
 * with a message naming it. A database migrated by a newer version than this code is refused too.
 */
import {
  AdminRequestFailed,
  DataDirLocked,
  EmbeddedDatabaseError,
  searchTablesOf,
  SERVICES,
  openDatabase,
  prismaProject,
  readEnv,
  remoteMigrate,
  routeFor,
  serviceConfig,
  viewerSecret,
} from '../packages/common/src/index.ts';

const env = readEnv();
try {
  for (const service of SERVICES) {
    const config = serviceConfig(service, env);
    const route = routeFor(config);
    if (route.via === 'service') {
      const applied = await remoteMigrate({ url: route.url, secret: viewerSecret(env), command: 'npm run db:migrate' });
      console.log(
        `[${service}] through the running service (pid ${route.holder.pid}): ${applied.length ? `applied ${applied.join(', ')}; restart it to run the new code` : 'up to date'}`,
      );
      continue;
    }
    // Migrations need no Prisma Client: the engine talks to the database through the driver adapter.
    const db = await openDatabase({
      config: config.database,
      project: prismaProject(service),
      createClient: () => ({ $disconnect: async () => {} }),
      searchTables: searchTablesOf(service),
      purpose: 'npm run db:migrate',
    });
    try {
      const applied = await db.migrate();
      console.log(`[${service}] ${db.location}: ${applied.length ? `applied ${applied.join(', ')}` : 'up to date'}`);
    } finally {
      await db.close();
    }
  }
} catch (error) {
  if (!(error instanceof DataDirLocked || error instanceof EmbeddedDatabaseError || error instanceof AdminRequestFailed)) throw error;
  console.error(`db:migrate: ${error.message}`);
  process.exit(1);
}
