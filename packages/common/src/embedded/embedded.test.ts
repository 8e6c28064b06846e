/**
 * The embedded database under bad conditions: a second opener, a stale lock, a read-only directory,
 * a full disk, a directory migrated by a newer version, a corrupted file. Each gives one message
 * naming the directory and what to do, and none loses an acknowledged write.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { acquireDataLock, lockPathOf } from './lock.ts';
import { EmbeddedDatabaseError, openEmbedded } from './pglite.ts';
import { openDatabase } from '../database.ts';
import { prismaProject } from '../project.ts';
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';

// Embedded only: the suite's PostgreSQL pass runs this file again for nothing, so it says so and skips.
const pass = process.env.DATABASE_URL ? describe.skip : describe;
const inPostgresPass = process.env.DATABASE_URL ? ' (skipped in the PostgreSQL pass: embedded-only, it ran in the PGlite pass)' : '';

let root: string;
let template: string;
let n = 0;
/** A fresh copy of an initialised data directory (initdb once per file: it takes seconds). */
const freshDir = () => {
  const dir = path.join(root, `db-${++n}`);
  cpSync(template, dir, { recursive: true });
  return dir;
};

beforeAll(async () => {
  if (process.env.DATABASE_URL) return;
  root = mkdtempSync(path.join(tmpdir(), 'registry-embedded-'));
  template = path.join(root, 'template');
  const db = await openEmbedded({ dataDir: template, purpose: 'the test template' });
  await db.close();
});
afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

pass(`one owner per embedded data directory${inPostgresPass}`, () => {
  it('refuses a second opener at once, naming the holder and the way out', async () => {
    const dir = freshDir();
    const first = await openEmbedded({ dataDir: dir, purpose: 'the agencies service' });
    try {
      const second = openEmbedded({ dataDir: dir, purpose: 'npm run seed' });
      await expect(second).rejects.toThrow(EmbeddedDatabaseError);
      await expect(second).rejects.toThrow(
        new RegExp(
          `${dir} is in use by the agencies service \\(pid ${process.pid}, since .* UTC, command: .*\\)\\. An embedded database has one owner at a time: stop it`,
        ),
      );
      await expect(second).rejects.toThrow(/use PostgreSQL \(DATABASE_URL\)/);
    } finally {
      await first.close();
    }
    // Released on close: the next opener gets it.
    const third = await openEmbedded({ dataDir: dir, purpose: 'npm run db:backup' });
    await third.close();
  });

  it('takes over the lock of a process that died without closing, and says whose it was', () => {
    const dir = path.join(root, 'stale');
    mkdirSync(dir);
    // A real pid that no longer runs: a process that has exited.
    const dead = Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).toString());
    writeFileSync(
      lockPathOf(dir),
      JSON.stringify({
        pid: dead,
        host: hostname(),
        command: 'node main.ts',
        purpose: 'the agencies service',
        since: new Date().toISOString(),
        processStart: null,
        token: 'old',
      }),
    );
    const previous: number[] = [];
    const lock = acquireDataLock(dir, 'the agencies service', (holder) => previous.push(holder!.pid));
    expect(previous).toEqual([dead]);
    lock.release();
  });

  it('lets exactly one of several processes take over the same stale lock', async () => {
    const dir = path.join(root, 'race');
    mkdirSync(dir);
    writeFileSync(lockPathOf(dir), 'not a lock file: left half-written by a crash');
    const script = path.join(root, 'race.ts');
    writeFileSync(
      script,
      `import { acquireDataLock } from ${JSON.stringify(path.resolve(import.meta.dirname, 'lock.ts'))};
       try { acquireDataLock(${JSON.stringify(dir)}, 'racer'); process.stdout.write('won\\n'); setTimeout(() => {}, 120_000); }
       catch (e) { process.stdout.write('refused: ' + e.message + '\\n'); }`,
    );
    // The winner holds the lock until every racer has answered (on a busy machine a racer may start
    // seconds after the others: a winner that had exited by then would leave a stale lock to take over).
    const children: ReturnType<typeof spawn>[] = [];
    const racers = Array.from(
      { length: 4 },
      () =>
        new Promise<string>((resolve) => {
          const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
          children.push(child);
          let out = '';
          child.stdout!.on('data', (d: Buffer) => {
            out += d.toString();
            if (out.endsWith('\n')) resolve(out.trim());
          });
          child.on('close', () => resolve(out.trim()));
        }),
    );
    const outcomes = await Promise.all(racers).finally(() => children.forEach((child) => child.kill()));
    expect(outcomes.filter((o) => o === 'won')).toHaveLength(1);
    for (const o of outcomes.filter((o) => o !== 'won')) expect(o).toMatch(/^refused: .* is in use by racer \(pid \d+/);
  });
});

pass(`bad conditions give one clear message, never corruption${inPostgresPass}`, () => {
  it('refuses a read-only data directory before PostgreSQL starts, naming it and what to do', async () => {
    const dir = freshDir();
    const readOnly = path.join(root, `read-only-${n}`);
    const root_ = process.getuid?.() === 0;
    if (root_) {
      // root writes through permissions: only a read-only mount stops it.
      mkdirSync(readOnly);
      execFileSync('mount', ['--bind', dir, readOnly]);
      execFileSync('mount', ['-o', 'remount,bind,ro', readOnly]);
    } else {
      cpSync(dir, readOnly, { recursive: true });
      chmodSync(readOnly, 0o555);
    }
    try {
      const opening = openEmbedded({ dataDir: readOnly, purpose: 'the agencies service' });
      await expect(opening).rejects.toMatchObject({ problem: 'read-only' });
      await expect(opening).rejects.toThrow(
        new RegExp(
          `^${readOnly} is not writable \\(E(ROFS|ACCES).*\\); make it writable for this user \\(e\\.g\\. chmod -R u\\+w ${readOnly}\\) or set DATA_DIR`,
        ),
      );
    } finally {
      if (root_) execFileSync('umount', [readOnly]);
      else chmodSync(readOnly, 0o755);
    }
  });

  it('a full disk under the WAL stops the database with one message, fails fast afterwards, and loses no acknowledged write', async () => {
    const dir = freshDir();
    let diskFull = false;
    const failures: string[] = [];
    const db = await openEmbedded({
      dataDir: dir,
      purpose: 'the agencies service',
      failWrites: (file) => diskFull && file.includes('pg_wal'),
      onFailure: (failure) => failures.push(failure.message),
    });
    await db.pglite.exec('CREATE TABLE acknowledged (id int PRIMARY KEY)');
    for (let i = 1; i <= 20; i++) await db.pglite.query('INSERT INTO acknowledged VALUES ($1)', [i]);
    diskFull = true;
    await expect(db.pglite.query('INSERT INTO acknowledged VALUES (21)')).rejects.toMatchObject({ problem: 'disk-full' });
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(
      new RegExp(`^the disk holding ${dir} is full \\(.*No space left on device.*\\); free space on it, then start the service again`),
    );
    // A PostgreSQL that has PANICked never answers again: every statement now fails at once instead.
    await expect(db.pglite.query('SELECT count(*) FROM acknowledged')).rejects.toThrow(/is unavailable: the disk holding .* is full/);
    expect(db.failure()?.problem).toBe('disk-full');
    await db.close();

    // Space freed, started again: PostgreSQL recovers from its WAL.
    const reopened = await openEmbedded({ dataDir: dir, purpose: 'the agencies service' });
    const { rows } = await reopened.pglite.query<{ n: number; max: number }>('SELECT count(*)::int AS n, max(id) AS max FROM acknowledged');
    expect(rows[0]).toEqual({ n: 20, max: 20 });
    await reopened.close();
  });

  it("a COMMIT refused for a full disk reaches the caller through Prisma's driver adapter, never acknowledged", async () => {
    const dir = freshDir();
    let diskFull = false;
    // createClient receives the driver adapter factory the services' Prisma clients use.
    let factory: SqlDriverAdapterFactory | null = null;
    const db = await openDatabase({
      config: { kind: 'pglite', dataDir: dir },
      project: prismaProject('agencies'),
      createClient: (adapter) => {
        factory = adapter;
        return { $disconnect: async () => {} };
      },
      purpose: 'the agencies service',
      failWrites: (file) => diskFull && file.includes('pg_wal'),
    });
    try {
      await db.rawQuery('CREATE TABLE written (id int PRIMARY KEY)');
      const adapter = await factory!.connect();
      const insert = (id: number) => ({ sql: `INSERT INTO written VALUES (${id})`, args: [], argTypes: [] });
      const ok = await adapter.startTransaction();
      await ok.executeRaw(insert(1));
      await ok.commit();
      const refused = await adapter.startTransaction();
      await refused.executeRaw(insert(2));
      diskFull = true;
      // pglite-prisma-adapter alone resolves this commit although PostgreSQL refused it.
      await expect(refused.commit()).rejects.toMatchObject({ problem: 'disk-full' });
    } finally {
      await db.close();
    }
    const reopened = await openEmbedded({ dataDir: dir, purpose: 'the agencies service' });
    expect((await reopened.pglite.query<{ id: number }>('SELECT id FROM written ORDER BY id')).rows).toEqual([{ id: 1 }]);
    await reopened.close();
  });

  it('refuses a data directory migrated by a newer version, naming the migrations this code lacks', async () => {
    const dir = freshDir();
    const seed = await openEmbedded({ dataDir: dir, purpose: 'the test' });
    // What the schema engine writes, plus one migration this code does not have.
    await seed.pglite.exec(`CREATE TABLE _prisma_migrations (migration_name text, finished_at timestamptz, rolled_back_at timestamptz)`);
    await seed.pglite.query(`INSERT INTO _prisma_migrations VALUES ('20991231000000_from_the_future', now(), NULL)`);
    await seed.close();
    const db = await openDatabase({
      config: { kind: 'pglite', dataDir: dir },
      project: prismaProject('networks'),
      createClient: () => ({ $disconnect: async () => {} }),
      purpose: 'the networks service',
    });
    try {
      const migrating = db.migrate();
      await expect(migrating).rejects.toMatchObject({ problem: 'newer-migrations' });
      await expect(migrating).rejects.toThrow(
        `PGlite ${dir} was migrated by a newer version of the registry (migrations not in this code: 20991231000000_from_the_future); run that version, or restore a backup made with this one (npm run db:restore <file>)`,
      );
    } finally {
      await db.close();
    }
  });

  it('names a corrupted directory and the way back (a backup), instead of "failed to initialize"', async () => {
    const dir = freshDir();
    const fd = openSync(path.join(dir, 'global', 'pg_control'), 'r+');
    writeSync(fd, Buffer.alloc(64, 0xab), 0, 64, 200);
    closeSync(fd);
    const opening = openEmbedded({ dataDir: dir, purpose: 'the awards service' });
    await expect(opening).rejects.toMatchObject({ problem: 'corrupted' });
    await expect(opening).rejects.toThrow(
      new RegExp(
        `^${dir} could not be opened as a database \\(FATAL: +incorrect checksum in control file\\); restore the latest backup \\(npm run db:restore <file>\\)`,
      ),
    );
    // Nothing is left locked by the failed open.
    const lock = acquireDataLock(dir, 'the next attempt');
    lock.release();
  });
});
