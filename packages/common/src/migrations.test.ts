import { describe, expect, it } from '@jest/globals';
import { withMessage } from './testing.ts';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { SERVICES } from './config.ts';
import { prismaProject } from './project.ts';
import { diffMigrationsToSchema, hasStatements, readMigrations } from './schema-engine.ts';

// Each check replays migrations on a fresh PGlite shadow database through the WebAssembly engine:
// several seconds each, more on a busy machine.
describe('Prisma migrations', () => {
  it.each(SERVICES)(
    '%s: replaying the migrations gives exactly what schema.prisma describes (no drift)',
    async (service) => {
      const project = prismaProject(service);
      expect((await readMigrations(project.migrationsDir)).migrationDirectories.length).toBeGreaterThan(0);
      const pglite = new PGlite();
      try {
        const sql = await diffMigrationsToSchema(project, new PrismaPGlite(pglite) as never);
        withMessage(`schema.prisma differs from the migrations; the missing SQL is:\n${sql}`, () => expect(hasStatements(sql)).toBe(false));
      } finally {
        await pglite.close();
      }
    },
    180_000,
  );

  it('sees drift when schema.prisma has a model the migrations lack', async () => {
    const { mkdtemp, writeFile, readFile, cp } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const dir = await mkdtemp(path.join(tmpdir(), 'drift-'));
    const source = prismaProject('awards');
    await cp(source.migrationsDir, path.join(dir, 'migrations'), { recursive: true });
    const schema = (await readFile(source.schemaPath, 'utf8')) + '\nmodel DriftProbe {\n  id String @id\n}\n';
    await writeFile(path.join(dir, 'schema.prisma'), schema);
    const pglite = new PGlite();
    try {
      const sql = await diffMigrationsToSchema(
        { schemaPath: path.join(dir, 'schema.prisma'), migrationsDir: path.join(dir, 'migrations') },
        new PrismaPGlite(pglite) as never,
      );
      expect(sql).toContain('CREATE TABLE "DriftProbe"');
    } finally {
      await pglite.close();
    }
  }, 180_000);
});
