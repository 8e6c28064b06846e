/**
 * Maintainer command: writes a new Prisma migration for a service from the difference between its
 * migrations and its schema.prisma (what `prisma migrate dev --create-only` does), using the
 * WebAssembly schema engine and an in-memory PGlite as the shadow database.
 *   npm run db:migration -- --service agencies --name add_index
 */
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { createMigration } from '../packages/common/src/schema-engine.ts';
import { prismaProject } from '../packages/common/src/project.ts';
import { SERVICES, type ServiceName } from '../packages/common/src/config.ts';

const { values } = parseArgs({ options: { service: { type: 'string' }, name: { type: 'string' } } });
const service = values.service as ServiceName;
if (!SERVICES.includes(service) || !values.name || !/^[a-z0-9_]+$/.test(values.name)) {
  console.error(`usage: npm run db:migration -- --service ${SERVICES.join('|')} --name snake_case_name`);
  process.exit(2);
}
const pglite = new PGlite();
const dir = await createMigration(prismaProject(service), new PrismaPGlite(pglite) as never, values.name);
console.log(dir ? `Wrote ${dir}/migration.sql` : 'schema.prisma and the migrations agree: nothing to write.');
await pglite.close();
