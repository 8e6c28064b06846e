/**
 * The comparison's rank, national average and percentile, as the API defines them (ranking.ts): checked
 * against a direct count over the values, ties included, and the writers' bytes for the same rows.
 */
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { compareAll } from './ranking.ts';
import { writeRows } from './writers.ts';
import type { ExportFormat, Row } from './types.ts';

/** Provinces with many ties: zeros, two pairs, a unique top value. */
const VALUES = new Map<string, number>([
  ['TH-10', 0],
  ['TH-11', 4],
  ['TH-12', 0],
  ['TH-13', 7],
  ['TH-14', 12],
  ['TH-15', 4],
  ['TH-16', 0],
  ['TH-17', 7],
]);

describe('compareAll', () => {
  it('gives tied provinces the same rank, skips the next ranks, and counts only strictly lower values in the percentile', () => {
    const compared = compareAll(VALUES);
    const all = [...VALUES.values()];
    const mean = all.reduce((a, b) => a + b, 0) / all.length;
    for (const [code, value] of VALUES) {
      expect({ code, ...compared.get(code) }).toEqual({
        code,
        rank: 1 + all.filter((v) => v > value).length,
        average: mean,
        percentile: (100 * all.filter((v) => v < value).length) / all.length,
      });
    }
    // Ties share a rank: the three zeros share the rank after the five higher values.
    const zeros = [...VALUES].filter(([, v]) => v === 0).map(([code]) => compared.get(code)!.rank);
    expect(new Set(zeros).size).toBe(1);
    expect(zeros[0]).toBe(all.filter((v) => v > 0).length + 1);
  });

  it('ranks every province first when all values are equal', () => {
    const same = compareAll(new Map([...VALUES.keys()].map((code) => [code, 3])));
    expect([...same.values()].every((c) => c.rank === 1 && c.percentile === 0 && c.average === 3)).toBe(true);
  });
});

describe('writeRows', () => {
  async function* rows(): AsyncGenerator<Row> {
    for (let i = 0; i < 300; i++) yield { name_th: `หน่วยงาน ${i}`, count: i, note: i % 3 ? null : '=1+1' };
  }

  it('writes the same bytes twice for the same rows, in every format (the XLSX dates are pinned)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'writers-'));
    try {
      const options = { columns: ['name_th', 'count', 'note'], sheetName: 'test', date: new Date('2021-10-01T00:00:00Z') };
      for (const format of ['csv', 'xlsx', 'json'] as ExportFormat[]) {
        const files = [path.join(dir, `a.${format}`), path.join(dir, `b.${format}`)];
        await writeRows(format, rows(), createWriteStream(files[0]!), options);
        // Over a second later: a zip entry stamped with the time of writing would differ.
        await new Promise((resolve) => setTimeout(resolve, 1100));
        await writeRows(format, rows(), createWriteStream(files[1]!), options);
        const [a, b] = files.map((f) => readFileSync(f));
        expect({ format, same: a!.equals(b!), size: a!.length > 100 }).toEqual({ format, same: true, size: true });
      }
      const csv = readFileSync(path.join(dir, 'a.csv'), 'utf8');
      expect(csv.startsWith('\uFEFFname_th,count,note\n')).toBe(true);
      expect(csv).toContain("'=1+1"); // a formula-like cell is neutralised
      expect(JSON.parse(readFileSync(path.join(dir, 'a.json'), 'utf8'))).toHaveLength(300);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
