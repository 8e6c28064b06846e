/**
 * `npm run db:migrate`: applies every service's pending Prisma migrations (through the WebAssembly
 * schema engine) to its own database: the embedded PGlite directory, or its PostgreSQL schema when
 * DATABASE_URL (or <SERVICE>_DATABASE_URL) is set.
 */
import { SERVICES, openDatabase, prismaProject, serviceConfig } from '../packages/common/src/index.ts';

for (const service of SERVICES) {
  const config = serviceConfig(service);
  // Migrations need no Prisma Client: the engine talks to the database through the driver adapter.
  const db = await openDatabase({
    config: config.database,
    project: prismaProject(service),
    createClient: () => ({ $disconnect: async () => {} }),
  });
  try {
    const applied = await db.migrate();
    console.log(`[${service}] ${db.location}: ${applied.length ? `applied ${applied.join(', ')}` : 'up to date'}`);
  } finally {
    await db.close();
  }
}
