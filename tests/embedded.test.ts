/**
 * The README's commands against a running stack (issue: "npm run seed" with "npm start" running
 * broke the embedded databases). The stack keeps its data where the commands look (DATA_DIR, or the
 * services' own schemas of a throw-away PostgreSQL database), and the commands run as the user runs
 * them, in their own processes: each one works (through the running services where they own the
 * database) or is refused at once, and the stack keeps serving. Then a backup is taken while it
 * runs, more is written, and the restore gives back exactly the backed-up state.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import JSZip from 'jszip';
import { BackupRefused, PROJECT_ROOT, SERVICES, createBackup, readEnv, restoreBackup, type Env } from '@moral-registry/common';
import { post, throwAwayStorage } from '@moral-registry/common/testing';
import { emptyEmbeddedDirs, startStack, tokenFor, type Stack } from './harness.ts';

const postgres = process.env.DATABASE_URL;
/** Each test starts a command in a process of its own (tsx compiles it first) or restarts the stack. */
const COMMAND_TIMEOUT_MS = 240_000;
const run = randomUUID().replace(/-/g, '').slice(0, 10);
let storage: Awaited<ReturnType<typeof throwAwayStorage>>;
let stack: Stack;
let env: Env;

/** The environment a user's shell would have for this stack: same data, the stack's ports. */
function commandEnv(): Record<string, string> {
  const port = (url: string) => new URL(url).port;
  return {
    ...(process.env as Record<string, string>),
    NODE_ENV: 'test',
    LOG_LEVEL: 'error',
    CI: 'true',
    DATA_DIR: storage.dataDir,
    DATABASE_URL: storage.databaseUrl ?? '',
    GATEWAY_PORT: port(stack.gatewayUrl),
    ...Object.fromEntries(SERVICES.map((s) => [`${s.toUpperCase()}_PORT`, port(stack.subgraphUrls[s])])),
  };
}

/** Runs `scripts/<script>` as `npm run` does (tsx), without blocking the stack that answers it. */
function command(script: string, args: string[] = []): Promise<{ code: number | null; out: string; err: string; ms: number }> {
  const began = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join('scripts', script), ...args], {
      cwd: PROJECT_ROOT,
      env: commandEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => resolve({ code, out, err, ms: performance.now() - began }));
  });
}

async function nationTotal(): Promise<number> {
  const data = await post<{ nation: { agencyStats: { total: number } } }>(stack.gatewayUrl, '{ nation { agencyStats { total } } }');
  return data.nation.agencyStats.total;
}

/** Every table of every service, each as a checksum of all its rows: equal means the same data. */
async function fingerprint(): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const service of SERVICES) {
    const db = stack.services[service].db;
    const tables = await db.rawQuery<{ name: string }>(
      `SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() AND tablename <> '_prisma_migrations' ORDER BY 1`,
    );
    for (const { name } of tables) {
      const [row] = await db.rawQuery<{ n: number; sum: string | null }>(
        `SELECT count(*)::int AS n, md5(string_agg(t::text, '|' ORDER BY t::text)) AS sum FROM "${name}" t`,
      );
      result[`${service}.${name}`] = `${row!.n}:${row!.sum}`;
    }
  }
  return result;
}

const createAgency = (name: string) =>
  `mutation { createAgency(input: { nameTh: ${JSON.stringify(name)}, kind: COMMUNITY, provinceCode: "TH-14" }) { agency { id version } } }`;

async function startOnStorage(): Promise<Stack> {
  const { dataDir, databaseUrl } = storage;
  return startStack({ storage: databaseUrl ? { postgresUrl: databaseUrl } : { dataDir } });
}

describe(
  postgres
    ? 'the README commands against a running stack on PostgreSQL (each service in its schema of a throw-away database)'
    : 'the README commands against a running stack on the embedded default (PGlite directories under DATA_DIR)',
  () => {
    beforeAll(async () => {
      storage = await throwAwayStorage('embedded');
      env = { ...readEnv(), NODE_ENV: 'test', DATA_DIR: storage.dataDir, DATABASE_URL: storage.databaseUrl ?? undefined };
      if (!postgres) await emptyEmbeddedDirs(storage.dataDir);
      stack = await startOnStorage();
    }, COMMAND_TIMEOUT_MS); // four databases on disk (one empty cluster, copied): migrations and reference data each

    afterAll(async () => {
      await stack?.close();
      await storage?.remove();
    }, COMMAND_TIMEOUT_MS);

    it(
      'npm run seed -- --synthetic loads the synthetic rows while the stack runs, and the API shows them at once',
      async () => {
        const before = await nationTotal();
        const seed = await command('seed.ts', ['--synthetic', '--scale', '0.01']);
        expect(seed.err).toBe('');
        expect(seed.code).toBe(0);
        // On the embedded default the running services own their databases and do the loading.
        if (!postgres) expect(seed.out).toContain('[agencies] through the running service');
        expect(seed.out).toMatch(/agencies\/agency +\d+ rows \(\d+ new\)/);
        expect(await nationTotal()).toBeGreaterThan(before);
      },
      COMMAND_TIMEOUT_MS,
    );

    it(
      'npm run db:migrate answers "up to date" for every service while the stack runs',
      async () => {
        const migrate = await command('migrate.ts');
        expect(migrate.code).toBe(0);
        for (const service of SERVICES) expect(migrate.out).toMatch(new RegExp(`\\[${service}\\].*up to date`));
      },
      COMMAND_TIMEOUT_MS,
    );

    it(
      'a second npm start is refused at once, saying what holds the databases or ports, and the first keeps serving',
      async () => {
        const second = await command('start.ts');
        expect(second.code).toBe(1);
        if (postgres) expect(second.err).toMatch(/GATEWAY_PORT=\d+ is in use/);
        else expect(second.err).toMatch(new RegExp(`is in use by the networks service \\(pid ${process.pid},`));
        expect(await nationTotal()).toBeGreaterThan(0);
      },
      COMMAND_TIMEOUT_MS,
    );

    it(
      'npm run import works through the running gateway and its rows are there',
      async () => {
        const token = await tokenFor(stack, 'PROVINCIAL_EDITOR', 'TH-14');
        const imported = await command('import.ts', [
          path.join('tests', 'fixtures', 'agencies-ayutthaya.csv'),
          '--type',
          'agencies',
          '--token',
          token,
          '--url',
          stack.gatewayUrl,
          '--progress',
          'none',
          '--no-error-file',
        ]);
        expect(imported.err).toBe('');
        expect(imported.out).toMatch(/rows: [1-9]\d* created/);
      },
      COMMAND_TIMEOUT_MS,
    );

    it(
      'a backup taken while the stack runs gives back exactly that state after more writes and a restore',
      async () => {
        const token = await tokenFor(stack, 'NATIONAL_ADMIN');
        const auth = { authorization: `Bearer ${token}` };
        await post(stack.gatewayUrl, createAgency(`ชมรมก่อนสำรอง ${run}`), undefined, auth);
        const backedUp = await fingerprint();
        const backup = await createBackup(env, path.join(storage.dataDir, 'backups'));
        expect(Object.keys(backup.manifest.services).sort()).toEqual([...SERVICES].sort());
        if (!postgres) expect(backup.how.agencies).toMatch(/through the running service/);

        // More writes after the backup: a new agency, and an existing one changed.
        const created = await post<{ createAgency: { agency: { id: string } } }>(
          stack.gatewayUrl,
          createAgency(`ชมรมหลังสำรอง ${run}`),
          undefined,
          auth,
        );
        await post(
          stack.gatewayUrl,
          `mutation { updateAgency(input: { id: "${created.createAgency.agency.id}", version: 1, nameEn: "Changed after the backup" }) { agency { version } } }`,
          undefined,
          auth,
        );
        expect(await fingerprint()).not.toEqual(backedUp);

        // A restore needs the services stopped: refused while they run.
        await expect(restoreBackup(env, backup.file)).rejects.toThrow(
          postgres ? /connections of the running \w+ service are open/ : /is in use by the agencies service/,
        );

        await stack.close();
        const restored = await restoreBackup(env, backup.file);
        expect(restored.pending).toEqual(Object.fromEntries(SERVICES.map((s) => [s, []])));
        stack = await startOnStorage();
        expect(await fingerprint()).toEqual(backedUp);
        const gone = await post<{ agency: unknown }>(
          stack.gatewayUrl,
          `{ agency(id: "${created.createAgency.agency.id}") { id } }`,
          undefined,
          auth,
        );
        expect(gone.agency).toBeNull();
      },
      COMMAND_TIMEOUT_MS,
    );

    it(
      'a restore refuses a backup made by a newer version (a migration this code does not know), and changes nothing',
      async () => {
        const before = await fingerprint();
        const backup = await createBackup(env, path.join(storage.dataDir, 'backups'));
        const zip = await JSZip.loadAsync(readFileSync(backup.file));
        const manifest = JSON.parse(await zip.file('manifest.json')!.async('string'));
        manifest.services.agencies.migrations.push('20991231000000_from_the_future');
        zip.file('manifest.json', JSON.stringify(manifest));
        const newer = path.join(storage.dataDir, 'backups', 'newer.zip');
        writeFileSync(newer, await zip.generateAsync({ type: 'nodebuffer' }));
        // Every reason is listed before anything is touched (here the services also still run).
        const refused = restoreBackup(env, newer);
        await expect(refused).rejects.toThrow(BackupRefused);
        await expect(refused).rejects.toThrow(
          /agencies: the backup was made by a newer version of the registry \(migrations not in this code: 20991231000000_from_the_future\); restore it with that version/,
        );
        expect(await fingerprint()).toEqual(before);
      },
      COMMAND_TIMEOUT_MS,
    );
  },
);
