/**
 * kill -9 of a subgraph in the middle of a stream of writes, then a restart: the database opens,
 * every write that was acknowledged to a client is there, and nothing half-written is visible (an
 * agency and its audit entry are one transaction: never one without the other). The agencies
 * service runs as its own process, as `npm start` runs it, on a directory of its own (embedded) or
 * its schema of a throw-away database (PostgreSQL).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PROJECT_ROOT, VIEWER_HEADER, readEnv, signViewer, viewerSecret } from '@moral-registry/common';
import { postRaw, throwAwayStorage } from '@moral-registry/common/testing';

const postgres = process.env.DATABASE_URL;
const run = randomUUID().replace(/-/g, '').slice(0, 10);
let storage: Awaited<ReturnType<typeof throwAwayStorage>>;
let port: number;
let url: string;
const children: ChildProcess[] = [];

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function startAgencies(): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join('services', 'agencies', 'src', 'main.ts')], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATA_DIR: storage.dataDir,
      DATABASE_URL: '',
      AGENCIES_DATABASE_URL: storage.databaseUrl ?? '',
      AGENCIES_PORT: String(port),
      HOST: '127.0.0.1',
      MIGRATE_ON_START: 'true',
      // createAgency with a province only needs no reference rows; loading them costs seconds here.
      SEED_ON_START: 'false',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  return { child, output: () => output };
}

async function ready(child: ChildProcess, output: () => string): Promise<void> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the agencies service exited (${child.exitCode}):\n${output()}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

const admin = { id: 'crash-test', role: 'NATIONAL_ADMIN' as const, provinceCode: null, name: 'ทดสอบการหยุดกะทันหัน' };
async function asAdmin<T>(query: string) {
  return postRaw<T>(url, query, undefined, { [VIEWER_HEADER]: await signViewer(admin, viewerSecret(readEnv())) });
}

describe(
  postgres
    ? 'kill -9 of the agencies service under a stream of writes, on PostgreSQL'
    : 'kill -9 of the agencies service under a stream of writes, on the embedded database (fsync on)',
  () => {
    beforeAll(async () => {
      storage = await throwAwayStorage('crash');
      port = await freePort();
      url = `http://127.0.0.1:${port}/graphql`;
    });

    afterAll(async () => {
      for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
      await storage?.remove();
    });

    it('keeps every acknowledged write, shows nothing half-written, and writes again after the restart', async () => {
      const first = startAgencies();
      await ready(first.child, first.output);

      // Four clients write until the process is killed under them.
      const acknowledged: string[] = [];
      let unanswered = 0;
      let sent = 0;
      let killed = false;
      const writer = async (w: number) => {
        for (let i = 0; !killed; i++) {
          sent += 1;
          try {
            const result = await asAdmin<{ createAgency: { agency: { id: string } } }>(
              `mutation { createAgency(input: { nameTh: "ชมรมทดสอบการหยุด ${run} ${w}-${i}", kind: COMMUNITY, provinceCode: "TH-38" }) { agency { id } } }`,
            );
            if (result.data?.createAgency) acknowledged.push(result.data.createAgency.agency.id);
            else unanswered += 1;
          } catch {
            unanswered += 1; // the connection died with the process: no answer
          }
        }
      };
      const writers = [0, 1, 2, 3].map(writer);
      while (acknowledged.length < 40) await new Promise((r) => setTimeout(r, 20));
      first.child.kill('SIGKILL');
      await new Promise((r) => first.child.once('exit', r));
      killed = true;
      await Promise.all(writers);

      const second = startAgencies();
      await ready(second.child, second.output);
      // The embedded directory's lock was left by the killed process: detected as stale and taken over.
      if (!postgres) expect(second.output()).toContain(`took over the lock of pid ${first.child.pid}`);

      const found = await asAdmin<{ _entities: ({ id: string; version: number; auditTrail: { operation: string }[] } | null)[] }>(
        `{ _entities(representations: ${JSON.stringify(acknowledged.map((id) => ({ __typename: 'Agency', id }))).replace(/"(\w+)":/g, '$1:')}) { ... on Agency { id version auditTrail { operation } } } }`,
      );
      expect(found.errors).toBeUndefined();
      const missing = acknowledged.filter((id, i) => found.data._entities[i]?.id !== id);
      expect(missing).toEqual([]);
      for (const agency of found.data._entities) expect(agency!.auditTrail.map((e) => e.operation)).toEqual(['CREATE']);

      // Beyond the acknowledged ones, only writes whose answer was lost may have committed; each whole.
      const all = await asAdmin<{
        agencies: { totalCount: number; edges: { node: { id: string; auditTrail: { operation: string }[] } }[] };
      }>(`{ agencies(provinceCode: "TH-38", first: 100) { totalCount edges { node { id auditTrail { operation } } } } }`);
      expect(all.errors).toBeUndefined();
      const total = all.data.agencies.totalCount;
      expect(total).toBeGreaterThanOrEqual(acknowledged.length);
      expect(total).toBeLessThanOrEqual(acknowledged.length + unanswered);
      for (const { node } of all.data.agencies.edges) expect(node.auditTrail.map((e) => e.operation)).toEqual(['CREATE']);
      console.info(
        `[crash] ${postgres ? 'PostgreSQL' : 'PGlite'}: ${sent} writes sent, ${acknowledged.length} acknowledged, ${unanswered} unanswered; after kill -9 and restart: ${acknowledged.length - missing.length} of the acknowledged found, ${total} agencies in all`,
      );

      const after = await asAdmin<{ createAgency: { agency: { id: string } } }>(
        `mutation { createAgency(input: { nameTh: "ชมรมหลังเริ่มใหม่ ${run}", kind: COMMUNITY, provinceCode: "TH-38" }) { agency { id } } }`,
      );
      expect(after.errors).toBeUndefined();
      second.child.kill('SIGTERM');
      await new Promise((r) => second.child.once('exit', r));
    }, 300_000); // two starts of a service process: minutes on a loaded 2-core machine
  },
);
