import { mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from '@jest/globals';
import { GatewaySchema, JsonFile } from './stores.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
}, 240_000);

describe('JsonFile', () => {
  it('starts empty, writes a file only its owner can read, and sees a change made by another process', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'gateway-store-'));
    dirs.push(dir);
    const location = path.join(dir, 'nested', 'items.json');
    const file = new JsonFile<{ id: string }>(location);
    expect(await file.load()).toEqual([]);

    await file.save([{ id: 'a' }]);
    expect(await file.load()).toEqual([{ id: 'a' }]);
    expect((await stat(location)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(location, 'utf8'))).toEqual([{ id: 'a' }]);

    // Another gateway process (or the CLI) rewrites the file: the next load reads it again.
    await writeFile(location, JSON.stringify([{ id: 'a' }, { id: 'b' }]));
    expect(await file.load()).toEqual([{ id: 'a' }, { id: 'b' }]);
  });

  it("sees a rewrite that keeps the file's size and modification time (two writes within one clock tick)", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'gateway-store-'));
    dirs.push(dir);
    const location = path.join(dir, 'items.json');
    const file = new JsonFile<{ id: string }>(location);
    // File times advance in coarse ticks: a rewrite right after a write can keep the same mtime.
    // Giving both versions the same time makes that case certain instead of a matter of luck.
    const tick = new Date('2026-01-01T00:00:00Z');
    await file.save([{ id: 'a' }]);
    await utimes(location, tick, tick);
    expect(await file.load()).toEqual([{ id: 'a' }]);
    const before = await stat(location);

    await writeFile(location, (await readFile(location, 'utf8')).replace('"a"', '"b"'));
    await utimes(location, tick, tick);
    const after = await stat(location);
    expect({ size: after.size, mtimeMs: after.mtimeMs }).toEqual({ size: before.size, mtimeMs: before.mtimeMs });
    expect(await file.load()).toEqual([{ id: 'b' }]);
  });
});

const DATABASE_URL = process.env.DATABASE_URL;
(!DATABASE_URL ? describe.skip : describe)(
  DATABASE_URL ? 'GatewaySchema' : 'GatewaySchema: skipped, needs DATABASE_URL (the gateway keeps files, not tables, on PGlite)',
  () => {
    it('refuses an unsafe schema name, and tries its DDL again after a failure instead of keeping it', async () => {
      expect(() => new GatewaySchema(DATABASE_URL!, 'x"; DROP', () => '')).toThrow('Invalid schema name');

      let calls = 0;
      const db = new GatewaySchema(DATABASE_URL!, `test_store_${randomUUID().replace(/-/g, '').slice(0, 10)}`, (schema) =>
        ++calls === 1 ? 'CREATE TABLE broken (' : `CREATE TABLE IF NOT EXISTS "${schema}".items (id text PRIMARY KEY)`,
      );
      try {
        await expect(db.ready()).rejects.toThrow();
        await db.ready();
        await db.pool.query(`INSERT INTO "${db.schema}".items VALUES ('a')`);
        expect((await db.pool.query(`SELECT id FROM "${db.schema}".items`)).rows).toEqual([{ id: 'a' }]);
        expect(calls).toBe(2);
        expect(db.location).not.toContain('postgres@');
      } finally {
        await db.drop();
        await db.close();
      }
    });
  },
);
