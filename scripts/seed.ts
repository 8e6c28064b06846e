/**
 * `npm run seed`: loads reference data (provinces, districts, regions, sectors) and the Ayutthaya
 * case into every service's own database, applying migrations first. Loading twice changes nothing.
 */
import { SERVICES } from '../packages/common/src/index.ts';

const modules = {
  networks: () => import('@moral-registry/networks'),
  agencies: () => import('@moral-registry/agencies'),
  activities: () => import('@moral-registry/activities'),
  awards: () => import('@moral-registry/awards'),
};

for (const service of SERVICES) {
  const { createServer, seed } = await modules[service]();
  const server = await createServer({ seed: false, config: { migrateOnStart: true } });
  try {
    const { created } = await seed(server.db as never);
    console.log(`[${service}] ${server.db.location}: ${created} rows created`);
  } finally {
    await server.close();
  }
}
