/**
 * Agency search on the embedded database (PGlite, in memory) at a synthetic scale (default 1: about
 * 5,000 agencies and 10,000 people): the agencies subgraph in process, the queries of the bench's search
 * scenarios through `executeOperation` (no gateway, no HTTP, no networks fields), sequential, after a
 * warm-up. Also reports how fast the synthetic agencies were loaded (search columns included).
 *
 *   npx tsx bench/search-pglite.ts [scale] [samples]
 *
 * With SEARCH_DATABASE_URL, the same queries run in process against the agencies schema of an
 * existing PostgreSQL database instead (nothing loaded), e.g. one kept by `npm run bench -- --keep`:
 *
 *   SEARCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/moral_bench_s10 npx tsx bench/search-pglite.ts 10 50
 */
import { execute } from '@moral-registry/common/testing';
import { createServer } from '../services/agencies/src/server.ts';
import { seedSynthetic } from '../services/agencies/src/seed/synthetic.ts';

const scale = Number(process.argv[2] ?? 1);
const samples = Number(process.argv[3] ?? 50);
const url = process.env.SEARCH_DATABASE_URL;
const server = url
  ? await createServer({
      config: { database: { kind: 'postgres', url, schema: 'agencies', poolSize: 4 }, migrateOnStart: false },
      seed: false,
    })
  : await createServer({ config: { database: { kind: 'pglite', dataDir: null }, migrateOnStart: true }, seed: true });
if (url) {
  console.log(`PostgreSQL ${new URL(url).pathname.slice(1)}, schema agencies (scale ${scale} as given, not loaded here)`);
} else {
  const started = performance.now();
  const loaded = await seedSynthetic(server.db, { scale, seed: 1 });
  const seconds = (performance.now() - started) / 1000;
  const agencies = loaded.tables.agency?.created ?? 0;
  console.log(
    `PGlite, scale ${scale}: loaded ${agencies} agencies and ${loaded.tables.person?.created ?? 0} people in ${seconds.toFixed(1)} s (${Math.round(loaded.created / seconds)} rows/s)`,
  );
}

const QUERY = `query($search: String!, $provinceCode: ID, $orderBy: [AgencyOrder!]) {
  agencies(search: $search, provinceCode: $provinceCode, orderBy: $orderBy, first: 20) { totalCount edges { node { id nameTh nameEn kind } } } }`;
const cases: [string, Record<string, unknown>][] = [
  ['โรงเรียน', { search: 'โรงเรียน' }],
  ['รร.บ้าน สันติสุข', { search: 'รร.บ้าน สันติสุข' }],
  ['วัด in TH-14 by name', { search: 'วัด', provinceCode: 'TH-14', orderBy: [{ field: 'NAME_TH' }] }],
];
for (const [label, variables] of cases) {
  for (let i = 0; i < 5; i++) await execute(server, QUERY, variables);
  const times: number[] = [];
  let total = 0;
  for (let i = 0; i < samples; i++) {
    const t = performance.now();
    total = (await execute(server, QUERY, variables)).agencies.totalCount;
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)]!.toFixed(1);
  console.log(`  ${label}: ${total} matches; p50 ${at(0.5)} ms, p95 ${at(0.95)} ms (${samples} samples)`);
}
await server.close();
