import path from 'node:path';
import { PROJECT_ROOT, type ServiceName } from './config.ts';
import type { PrismaProject } from './schema-engine.ts';

/** Where a service's Prisma schema and migrations live. */
export function prismaProject(service: ServiceName): PrismaProject {
  const prismaDir = path.join(PROJECT_ROOT, 'services', service, 'prisma');
  return { schemaPath: path.join(prismaDir, 'schema.prisma'), migrationsDir: path.join(prismaDir, 'migrations') };
}
