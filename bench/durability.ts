/**
 * What "acknowledged means on disk" costs on the embedded database (docs/RESILIENCE.md): the same
 * writes on a fresh agencies database opened durably (fsync on, as the services run) and with
 * PGlite's own settings (fsync off), side by side in one run, in alternating rounds.
 *
 *   npx tsx bench/durability.ts [--writes 300] [--rows 5000] [--rounds 2]
 *
 * - single writes: what a mutation does (one transaction: an Agency and its AuditEntry), one after the
 *   other, through Prisma and the PGlite driver adapter, as createAgency does;
 * - bulk rows: createMany in batches of 500 rows (one transaction each), as imports and the synthetic
 *   seed write.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { openDatabase, prismaProject } from '../packages/common/src/index.ts';
import { PrismaClient } from '../services/agencies/src/generated/prisma/client.ts';

const { values } = parseArgs({
  options: {
    writes: { type: 'string', default: '300' },
    rows: { type: 'string', default: '5000' },
    rounds: { type: 'string', default: '2' },
  },
});
const writes = Number(values.writes);
const rows = Number(values.rows);
const rounds = Number(values.rounds);
const root = mkdtempSync(path.join(tmpdir(), 'registry-durability-'));

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

interface Result {
  mode: string;
  writesPerSecond: number;
  p50: number;
  p95: number;
  rowsPerSecond: number;
}

async function measure(durable: boolean, round: number): Promise<Result> {
  const dataDir = path.join(root, `${durable ? 'durable' : 'fsync-off'}-${round}`);
  const db = await openDatabase({
    config: { kind: 'pglite', dataDir },
    project: prismaProject('agencies'),
    createClient: (adapter) => new PrismaClient({ adapter }),
    purpose: 'bench/durability.ts',
    durable,
  });
  try {
    await db.migrate();
    const prisma = db.client;
    const source = { sourceKind: 'SYNTHETIC' as const, sourceLabel: 'synthetic demo data (bench/durability.ts)' };
    const latencies: number[] = [];
    const began = performance.now();
    for (let i = 0; i < writes; i++) {
      const t0 = performance.now();
      await prisma.$transaction(async (tx) => {
        const agency = await tx.agency.create({
          data: { nameTh: `หน่วยงานสังเคราะห์ ${round}-${i}`, kind: 'COMMUNITY', provinceCode: 'TH-38', ...source },
        });
        await tx.auditEntry.create({
          data: {
            entityType: 'Agency',
            entityId: agency.id,
            operation: 'CREATE',
            actorId: 'bench',
            actorRole: 'NATIONAL_ADMIN',
            after: agency as never,
          },
        });
      });
      latencies.push(performance.now() - t0);
    }
    const writeSeconds = (performance.now() - began) / 1000;
    const bulkBegan = performance.now();
    for (let done = 0; done < rows; done += 500) {
      const batch = Array.from({ length: Math.min(500, rows - done) }, (_, j) => ({
        id: randomUUID(),
        nameTh: `หน่วยงานสังเคราะห์ชุด ${round}-${done + j}`,
        kind: 'COMMUNITY' as const,
        provinceCode: 'TH-38',
        ...source,
      }));
      await prisma.agency.createMany({ data: batch });
    }
    const bulkSeconds = (performance.now() - bulkBegan) / 1000;
    latencies.sort((a, b) => a - b);
    return {
      mode: durable ? 'durable (fsync on)' : 'PGlite default (fsync off)',
      writesPerSecond: writes / writeSeconds,
      p50: percentile(latencies, 0.5),
      p95: percentile(latencies, 0.95),
      rowsPerSecond: rows / bulkSeconds,
    };
  } finally {
    await db.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const results: Result[] = [];
try {
  for (let round = 1; round <= rounds; round++) {
    for (const durable of round % 2 ? [true, false] : [false, true]) {
      const result = await measure(durable, round);
      results.push(result);
      console.log(
        `round ${round} ${result.mode.padEnd(27)} ${result.writesPerSecond.toFixed(1).padStart(7)} writes/s (p50 ${result.p50.toFixed(1)} ms, p95 ${result.p95.toFixed(1)} ms), bulk ${result.rowsPerSecond.toFixed(0).padStart(6)} rows/s`,
      );
    }
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
const mean = (mode: string, key: keyof Omit<Result, 'mode'>) => {
  const of = results.filter((r) => r.mode === mode);
  return of.reduce((sum, r) => sum + r[key], 0) / of.length;
};
const [durable, off] = ['durable (fsync on)', 'PGlite default (fsync off)'];
console.log(
  `\nmean of ${rounds} rounds: single writes ${mean(durable, 'writesPerSecond').toFixed(1)} vs ${mean(off, 'writesPerSecond').toFixed(1)} writes/s ` +
    `(durable costs ×${(mean(off, 'writesPerSecond') / mean(durable, 'writesPerSecond')).toFixed(2)}; p50 ${mean(durable, 'p50').toFixed(1)} vs ${mean(off, 'p50').toFixed(1)} ms); ` +
    `bulk ${mean(durable, 'rowsPerSecond').toFixed(0)} vs ${mean(off, 'rowsPerSecond').toFixed(0)} rows/s (×${(mean(off, 'rowsPerSecond') / mean(durable, 'rowsPerSecond')).toFixed(2)})`,
);
