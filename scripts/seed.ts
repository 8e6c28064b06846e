/**
 * `npm run seed`: loads reference data (provinces, districts, regions, sectors) and the Ayutthaya
 * case into every service's own database, applying migrations first. Loading twice changes nothing.
 *
 * `npm run seed -- --synthetic [--scale N] [--seed S]` then also loads the national synthetic dataset
 * (packages/common/src/demo/synthetic.ts) into every service: scale N (default 1, ≈ 5,000 agencies
 * and 20,000 activities; 0 < N ≤ 100, fractions allowed), seed S (default 1). Progress per table:
 * bars on a terminal, plain lines otherwise; a summary per table at the end; then an ANALYZE of each
 * service's tables, so the planner knows the new rows. Bad arguments exit 2.
 *
 * While `npm start` runs on the embedded default, each service owns its database (one process per
 * data directory): the seed is then done by the running service itself (admin.ts), so the API sees the
 * new rows at once. A directory held by another command is refused with a message naming it (exit 1).
 */
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { SERVICES, readEnv, serviceConfig, viewerSecret, type ServiceName } from '../packages/common/src/config.ts';
import { loadSubgraph } from '../packages/common/src/subgraphs.ts';
import { AdminRequestFailed, remoteSeed, routeFor, seedDatabase } from '../packages/common/src/admin.ts';
import { DataDirLocked } from '../packages/common/src/embedded/lock.ts';
import { EmbeddedDatabaseError } from '../packages/common/src/embedded/pglite.ts';
import {
  assertSyntheticOptions,
  syntheticSourceLabel,
  type SyntheticLoadResult,
  type SyntheticProgress,
  type SyntheticTable,
} from '../packages/common/src/demo/index.ts';

const USAGE = `usage: npm run seed [-- --synthetic [--scale N] [--seed S]]
  --synthetic   also load the national synthetic dataset into every service
  --scale N     size of the dataset, 0 < N <= 100 (default 1: ~5,000 agencies, ~20,000 activities)
  --seed S      random seed, a non-negative integer (default 1); same scale and seed, same records`;

class UsageError extends Error {}

/** The synthetic options asked for, or null without --synthetic; throws UsageError on bad arguments. */
function parseCommandLine(args: string[]): { help: boolean; synthetic: { scale: number; seed: number } | null } {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        synthetic: { type: 'boolean' },
        scale: { type: 'string' },
        seed: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return { help: true, synthetic: null };
  if (!values.synthetic) {
    if (values.scale !== undefined || values.seed !== undefined) throw new UsageError('--scale and --seed need --synthetic');
    return { help: false, synthetic: null };
  }
  const scaleText = values.scale ?? '1';
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(scaleText.trim()))
    throw new UsageError(`--scale must be a number such as 1, 10 or 0.02 (got "${scaleText}")`);
  const seedText = values.seed ?? '1';
  if (!/^\d+$/.test(seedText.trim())) throw new UsageError(`--seed must be a non-negative integer (got "${seedText}")`);
  try {
    return { help: false, synthetic: assertSyntheticOptions({ scale: Number(scaleText), seed: Number(seedText) }) };
  } catch (error) {
    throw new UsageError(`--${(error as Error).message}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Progress

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const rate = (rows: number, ms: number) => (ms > 0 ? (rows * 1000) / ms : 0);
const eta = (done: number, total: number, ms: number) => {
  const perMs = done / ms;
  if (done >= total) return '0 s';
  if (!(perMs > 0)) return '?';
  const left = (total - done) / perMs / 1000;
  return left >= 90 ? `${Math.floor(left / 60)} min ${Math.round(left % 60)} s` : `${Math.ceil(left)} s`;
};

interface Summary extends SyntheticLoadResult {
  service: ServiceName;
  table: SyntheticTable;
}

/** Bars on a terminal (stderr), a line every 10% or 5 s otherwise; summaries collected for the end. */
function createReporter() {
  const tty = Boolean(process.stderr.isTTY) && process.env.CI === undefined;
  const summaries: Summary[] = [];
  let bars: cliProgress.MultiBar | undefined;
  const log = (line: string) => (bars ? bars.log(`${line}\n`) : console.log(line));

  const forService =
    (service: ServiceName): SyntheticProgress =>
    (table, total) => {
      const began = performance.now();
      let done = 0;
      let lastLine = began;
      let lastTenth = 0;
      const payload = () => {
        const ms = performance.now() - began;
        return {
          label: table.padEnd(19),
          rows: `${integer.format(done)}/${integer.format(total)}`,
          rate: integer.format(rate(done, ms)),
          timeLeft: eta(done, total, ms),
        };
      };
      let bar: cliProgress.SingleBar | undefined;
      if (tty && total > 0) {
        bars ??= new cliProgress.MultiBar(
          {
            format: ' {label} {bar} {rows} rows | {rate} rows/s | ETA {timeLeft}',
            hideCursor: true,
            clearOnComplete: false,
            barsize: 16,
            fps: 5,
          },
          cliProgress.Presets.shades_classic,
        );
        bar = bars.create(total, 0, payload());
      } else if (!tty) log(`[${service}] ${table}: ${integer.format(total)} rows to load`);
      return {
        advance(rows) {
          done += rows;
          if (bar) return bar.update(done, payload());
          const now = performance.now();
          const tenth = total > 0 ? Math.floor((done / total) * 10) : 10;
          if (tenth > lastTenth || now - lastLine >= 5_000) {
            lastTenth = tenth;
            lastLine = now;
            const p = payload();
            log(
              `[${service}] ${table}: ${p.rows} rows (${Math.floor((done / Math.max(total, 1)) * 100)}%), ${p.rate} rows/s, ETA ${p.timeLeft}`,
            );
          }
        },
        done(result) {
          bar?.update(done, payload());
          summaries.push({ service, table, ...result });
        },
      };
    };

  return {
    log,
    forService,
    /** Stops the bars and prints one line per table and a total. */
    finish() {
      bars?.stop();
      bars = undefined;
      if (summaries.length === 0) return;
      console.log('synthetic dataset loaded:');
      let rows = 0;
      let created = 0;
      let ms = 0;
      for (const s of summaries) {
        rows += s.rows;
        created += s.created;
        ms += s.ms;
        console.log(
          `  ${`${s.service}/${s.table}`.padEnd(32)} ${integer.format(s.rows).padStart(11)} rows (${integer.format(s.created)} new) in ${seconds(s.ms).padStart(8)}, ${integer.format(rate(s.rows, s.ms)).padStart(7)} rows/s`,
        );
      }
      console.log(
        `  ${'total'.padEnd(32)} ${integer.format(rows).padStart(11)} rows (${integer.format(created)} new) in ${seconds(ms).padStart(8)}, ${integer.format(rate(rows, ms)).padStart(7)} rows/s`,
      );
    },
  };
}

// ---------------------------------------------------------------------------------------------

let command: ReturnType<typeof parseCommandLine>;
try {
  command = parseCommandLine(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`seed: ${error.message}\n${USAGE}`);
  process.exit(2);
}
if (command.help) {
  console.log(USAGE);
  process.exit(0);
}

const { synthetic } = command;
const reporter = createReporter();
if (synthetic) reporter.log(`synthetic dataset: ${syntheticSourceLabel(synthetic.scale, synthetic.seed)}`);
const env = readEnv();
let failure: Error | null = null;
try {
  for (const service of SERVICES) {
    const config = serviceConfig(service, env);
    const events = { log: reporter.log, progress: reporter.forService(service) };
    const route = routeFor(config);
    if (route.via === 'service') {
      // The running service owns its embedded database: it loads the data itself, and what it loads
      // is visible to the API at once.
      reporter.log(`[${service}] through the running service (pid ${route.holder.pid}, ${route.url})`);
      await remoteSeed({ url: route.url, secret: viewerSecret(env), command: 'npm run seed' }, { synthetic }, events);
      continue;
    }
    const { createServer, seed, seedSynthetic } = await loadSubgraph(service);
    const server = await createServer({ seed: false, config: { migrateOnStart: true }, purpose: 'npm run seed' });
    try {
      await seedDatabase(server.db, service, { seed, seedSynthetic }, { synthetic }, events);
    } finally {
      await server.close();
    }
  }
} catch (error) {
  if (!(error instanceof DataDirLocked || error instanceof EmbeddedDatabaseError || error instanceof AdminRequestFailed)) throw error;
  failure = error;
} finally {
  reporter.finish();
}
if (failure) {
  console.error(`seed: ${failure.message}`);
  process.exit(1);
}
