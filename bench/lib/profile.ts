/**
 * Where the CPU time of a process went, from the V8 CPU profiles that `node --cpu-prof` writes
 * (`npm run bench -- --cpu-prof DIR`: one folder per gateway and subgraph). Each sample's time goes
 * to the function on top of the stack (self time), and that function to a category by the file it
 * is in: HTTP, GraphQL parse/validate/execute, query planning and merging, Prisma, the database
 * driver, our own code … Idle time is left out.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Categories in the order they are tested: the first whose test matches a frame wins. */
const CATEGORIES: [string, (url: string, fn: string) => boolean][] = [
  ['garbage collection', (_u, fn) => fn === '(garbage collector)'],
  ['V8 / native (program)', (_u, fn) => fn === '(program)'],
  [
    'start-up: loading and compiling modules',
    (u) => /^node:internal\/(modules\/|deps\/cjs-module-lexer|source_map)|node_modules\/tsx\//.test(u),
  ],
  ['text decoding (TextDecoder: response bodies)', (u) => u === 'node:internal/encoding'],
  ['events and AbortSignals', (u) => /^node:(events|internal\/(event_target|abort_controller|per_context\/domexception))/.test(u)],
  ['PGlite (embedded PostgreSQL)', (u) => u.startsWith('wasm://') || u.includes('@electric-sql/pglite')],
  ['Rust query planner runtime', (u) => u.includes('@graphql-hive/router')],
  [
    'planning, delegation, merging (Hive Gateway runtime)',
    (u) => /@graphql-tools\/(federation|delegate|stitch|batch-delegate|wrap|batch-execute)|@graphql-mesh\/fusion-runtime/.test(u),
  ],
  [
    'Apollo Gateway and federation libraries (planning, merging; schema building in subgraphs)',
    (u) => /@apollo\/(gateway|query-planner|federation-internals)/.test(u),
  ],
  ['GraphQL parse', (u) => /node_modules\/graphql\/language\//.test(u)],
  ['GraphQL validate', (u) => /node_modules\/graphql\/validation\//.test(u)],
  ['GraphQL execute', (u) => /node_modules\/graphql\/(execution|type|utilities)\/|@graphql-tools\/executor/.test(u)],
  ['GraphQL other', (u) => /node_modules\/graphql\//.test(u)],
  ['Apollo Server (subgraphs)', (u) => /@apollo\/(server|subgraph|utils)/.test(u)],
  [
    'Yoga / envelop / fetch adapter (gateway HTTP layer, plugin hooks)',
    (u) => /graphql-yoga|@envelop|@whatwg-node|@graphql-hive\/gateway|@graphql-mesh/.test(u),
  ],
  ['Prisma client', (u) => /@prisma\/|generated\/prisma/.test(u)],
  ['pg driver', (u) => /node_modules\/(pg|pg-protocol|pg-pool|pg-types)\//.test(u)],
  ['DataLoader', (u) => u.includes('node_modules/dataloader')],
  ['logging (pino)', (u) => /node_modules\/pino/.test(u)],
  ['our gateway code', (u) => u.includes('/gateway/src/')],
  ['our subgraph code', (u) => u.includes('/services/')],
  ['our shared code (packages/common)', (u) => u.includes('/packages/common/')],
  [
    'HTTP and sockets (Node)',
    (u) => /node:(_http|http|https|net|internal\/(http|streams|stream_base|net|js_stream))|^node:internal\/deps\/undici|undici/.test(u),
  ],
  ['crypto (viewer signing, JWT)', (u) => /node:crypto|node:internal\/crypto|node_modules\/jose/.test(u)],
  ['Node internals (other)', (u) => u.startsWith('node:')],
  ['other packages', (u) => u.includes('node_modules/')],
  ['native calls (I/O, timers)', (u) => u === ''],
  ['other', () => true],
];

function category(node: ProfileNode): string | null {
  const { url, functionName } = node.callFrame;
  if (functionName === '(idle)') return null;
  for (const [name, test] of CATEGORIES) if (test(url, functionName)) return name;
  return 'other';
}

export interface ProfileSummary {
  process: string;
  /** Busy CPU milliseconds (idle left out) over the profile. */
  busyMs: number;
  wallMs: number;
  byCategory: { category: string; ms: number; share: number }[];
}

/** Self time by category of one `.cpuprofile`. */
export function summarizeProfile(file: string, processName: string): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const categoryOf = new Map(profile.nodes.map((n) => [n.id, category(n)]));
  const totals = new Map<string, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const c = categoryOf.get(profile.samples[i]!);
    if (!c) continue;
    // timeDeltas[i] is the time before sample i; the next delta is the time sample i stood for.
    const us = profile.timeDeltas[i + 1] ?? 0;
    totals.set(c, (totals.get(c) ?? 0) + us);
  }
  const busyUs = [...totals.values()].reduce((a, b) => a + b, 0);
  return {
    process: processName,
    busyMs: busyUs / 1000,
    wallMs: (profile.endTime - profile.startTime) / 1000,
    byCategory: [...totals.entries()]
      .map(([c, us]) => ({ category: c, ms: us / 1000, share: busyUs ? us / busyUs : 0 }))
      .sort((a, b) => b.ms - a.ms),
  };
}

/** Every profile under `dir` (one folder per process, as `--cpu-prof DIR` writes them). */
export function summarizeProfiles(dir: string): ProfileSummary[] {
  const out: ProfileSummary[] = [];
  for (const name of readdirSync(dir).sort()) {
    const folder = path.join(dir, name);
    if (!statSync(folder).isDirectory()) continue;
    // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile: thread 0 is the main thread; the others
    // are the module loader's worker (tsx), idle once the process has started.
    for (const file of readdirSync(folder).filter((f) => /\.\d+\.0\.\d+\.cpuprofile$/.test(f))) {
      out.push(summarizeProfile(path.join(folder, file), name));
    }
  }
  return out;
}

/** A Markdown table per process: category, CPU ms and share of the busy time. */
export function renderProfiles(summaries: ProfileSummary[], requestsOf?: (process: string) => number | undefined): string {
  const lines: string[] = [];
  for (const s of summaries) {
    const requests = requestsOf?.(s.process);
    const per = requests ? `, ${(s.busyMs / requests).toFixed(2)} ms per request over ${requests} requests (start-up included)` : '';
    lines.push(`#### ${s.process}: ${(s.busyMs / 1000).toFixed(1)} s busy of ${(s.wallMs / 1000).toFixed(0)} s${per}`, '');
    lines.push('| where | CPU s | share |', '| --- | ---: | ---: |');
    for (const c of s.byCategory.filter((c) => c.share >= 0.01)) {
      lines.push(`| ${c.category} | ${(c.ms / 1000).toFixed(2)} | ${(c.share * 100).toFixed(1)} % |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
