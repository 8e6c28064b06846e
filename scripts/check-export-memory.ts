/**
 * Whether an export's memory stays flat however many rows it writes (issue 14: "memory flat for
 * 100,000 rows"): a fake API serves 100,000 synthetic agencies, 100 per page as the real one does,
 * and the export's own code (prepareExport, startExport, writeExport: what `npm run export` and
 * `GET /exports/…` run) writes them as CSV, XLSX and JSON to a file. Prints the heap before, at its
 * highest while writing (sampled every 20 ms), and after, per format. A figure, not a timed test.
 *
 *   NODE_OPTIONS=--expose-gc npx tsx scripts/check-export-memory.ts [--rows 100000]
 */
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  prepareExport,
  startExport,
  writeExport,
  type Api,
  type GraphQLDocument,
  type ExportFormat,
  type GraphQLResponse,
} from '@moral-registry/spreadsheets';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '100000' } } });
const ROWS = Number(values.rows);

/** Agencies `0 … ROWS-1`, paged like the API (the cursor is the next index). */
class ManyAgenciesApi implements Api {
  readonly url = 'fake:';
  async request<Data>(
    _document: GraphQLDocument<Data, Record<string, unknown>>,
    variables: Record<string, unknown> = {},
  ): Promise<GraphQLResponse<Data>> {
    const from = Number(variables.after ?? 0);
    const to = Math.min(ROWS, from + Number(variables.first ?? 100));
    const edges = [];
    for (let i = from; i < to; i++) {
      edges.push({
        node: {
          id: `agency-${i}`,
          nameTh: `หน่วยงานสมมติ ${i} (ข้อมูลสังเคราะห์)`,
          nameEn: `Synthetic agency ${i}`,
          kind: 'COMMUNITY',
          province: { code: 'TH-14', nameTh: 'พระนครศรีอยุธยา' },
          district: { code: '1401', nameTh: 'พระนครศรีอยุธยา' },
          sector: { code: 'COMMUNITY', nameTh: 'ชุมชน' },
          source: { kind: 'SYNTHETIC', synthetic: true },
        },
      });
    }
    const data = { agencies: { pageInfo: { hasNextPage: to < ROWS, endCursor: String(to) }, edges } };
    return { data: data as Data };
  }
}

const gc = (globalThis as { gc?: () => void }).gc;
const heapMb = () => {
  gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
};

const dir = mkdtempSync(path.join(tmpdir(), 'export-memory-'));
try {
  if (!gc) console.log('(run with NODE_OPTIONS=--expose-gc for figures after garbage collection)');
  const api = new ManyAgenciesApi();
  for (const format of ['csv', 'xlsx', 'json'] as ExportFormat[]) {
    const before = heapMb();
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed / 1024 / 1024)), 20);
    const started = Date.now();
    const prepared = await prepareExport(api, { what: 'agencies', includeSynthetic: true });
    const run = await startExport(api, prepared);
    const file = path.join(dir, `agencies.${format}`);
    await writeExport(prepared, run, format, createWriteStream(file));
    clearInterval(sampler);
    const after = heapMb();
    console.log(
      `${format}: ${run.stats.rows} rows, ${(statSync(file).size / 1024 / 1024).toFixed(1)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
        `heap before ${before.toFixed(1)} MB, highest while writing ${peak.toFixed(1)} MB, after ${after.toFixed(1)} MB`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
