/**
 * The embedded database (PGlite) opened so that nothing acknowledged is lost and nothing breaks
 * silently (docs/RESILIENCE.md, "The embedded database"):
 *
 * - one owner per data directory (lock.ts);
 * - "acknowledged means on disk": PGlite starts PostgreSQL with `-F` (fsync off), and its Node file
 *   system (Emscripten's NODEFS) has no fsync at all: fsync() succeeds without syncing and fdatasync()
 *   is a no-op. A commit then survives a killed process (the WAL is in the kernel's page cache) but not
 *   a power cut or an OS crash. We start it with fsync on and `wal_sync_method=fsync`, and give NODEFS
 *   the fsync it lacks, so every commit waits for its WAL to reach the disk;
 * - clear failures: a directory that is read-only, a full disk, a corrupted or incompatible directory
 *   becomes one message naming the directory and what to do. After a PANIC (say, no space left for the
 *   WAL) a PGlite instance is unusable: its next statement never returns. The instance is fenced off
 *   at once: every later statement fails immediately, and the service is told (`onFailure`).
 */
import { accessSync, constants, mkdirSync, unlinkSync, writeFileSync, readdirSync, fsyncSync, openSync, closeSync } from 'node:fs';
import path from 'node:path';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { NodeFS } from '@electric-sql/pglite/nodefs';
import { acquireDataLock, DataDirLocked, type DataLock, type LockHolder } from './lock.ts';

export type EmbeddedProblem = 'read-only' | 'disk-full' | 'corrupted' | 'newer-migrations' | 'locked' | 'failed';

/** A problem with an embedded data directory, with the one line an operator needs. */
export class EmbeddedDatabaseError extends Error {
  constructor(
    readonly problem: EmbeddedProblem,
    readonly dataDir: string,
    message: string,
  ) {
    super(message);
    this.name = 'EmbeddedDatabaseError';
  }
}

/** Start parameters: PGlite's defaults without `-F` (fsync off), and a WAL sync that reaches our fsync. */
export const DURABLE_START_PARAMS: readonly string[] = [
  ...PGlite.defaultStartParams.filter((p) => p !== '-F'),
  // PostgreSQL's default on Linux is fdatasync, which PGlite's runtime turns into a no-op; fsync() goes
  // through the file system's fsync operation, which DurableNodeFS provides.
  '-c',
  'wal_sync_method=fsync',
];

interface EmscriptenStream {
  nfd?: number;
  node: unknown;
}
interface Nodefs {
  stream_ops: Record<string, (...args: any[]) => any>;
  realPath(node: unknown): string;
  tryFSOperation<T>(fn: () => T): T;
}
interface EmscriptenFS {
  ErrnoError: new (errno: number) => Error;
}

/** Emscripten errno numbers (they differ from Linux's). */
const ERRNO = { ENOSPC: 51, EIO: 29 } as const;

export interface DurableOptions {
  /** Tests: make writes below the database fail as on a full disk (returns true for files that should fail). */
  failWrites?: (file: string) => boolean;
  /**
   * false: PGlite's own settings (fsync off; a commit survives a killed process but not a power cut).
   * Only bench/durability.ts uses it, to measure what durability costs.
   */
  durable?: boolean;
}

/** PGlite's Node file system with the fsync that Emscripten's NODEFS leaves out. */
class DurableNodeFS extends NodeFS {
  constructor(
    dataDir: string,
    private readonly durable: DurableOptions,
  ) {
    super(dataDir);
  }

  override async init(pg: PGlite, opts: any) {
    const result = await super.init(pg, opts);
    const preRun = (result.emscriptenOpts as { preRun: ((mod: any) => void)[] }).preRun;
    preRun.push((mod: { NODEFS: Nodefs; FS: EmscriptenFS }) => {
      const nodefs = mod.NODEFS;
      if (this.durable.durable === false) return;
      nodefs.stream_ops.fsync = (stream: EmscriptenStream) => {
        // NODEFS gives directories no descriptor of their own; PostgreSQL fsyncs them after creating
        // and renaming files (WAL segments, pg_control), so open one for the call.
        if (stream.nfd !== undefined) nodefs.tryFSOperation(() => fsyncSync(stream.nfd!));
        else if (process.platform !== 'win32') {
          const fd = nodefs.tryFSOperation(() => openSync(nodefs.realPath(stream.node), 'r'));
          try {
            nodefs.tryFSOperation(() => fsyncSync(fd));
          } finally {
            closeSync(fd);
          }
        }
        return 0;
      };
    });
    preRun.push((mod: { NODEFS: Nodefs; FS: EmscriptenFS }) => {
      const nodefs = mod.NODEFS;
      const failWrites = this.durable.failWrites;
      if (failWrites) {
        const write = nodefs.stream_ops.write!;
        nodefs.stream_ops.write = function (this: unknown, stream: EmscriptenStream, ...rest: unknown[]) {
          if (failWrites(nodefs.realPath(stream.node))) throw new mod.FS.ErrnoError(ERRNO.ENOSPC);
          return write.call(this, stream, ...rest);
        };
      }
    });
    return result;
  }
}

/** What a failed instance tells the service: the one line for the log and a short reason for clients. */
export interface EmbeddedFailure {
  problem: EmbeddedProblem;
  /** One line: the directory, what happened, what to do. */
  message: string;
  /** For clients (no paths): "the disk is full", "the database stopped". */
  reason: string;
}

export interface EmbeddedDatabase {
  pglite: PGlite;
  dataDir: string;
  lock: DataLock;
  /** Set once the instance has failed for good (a PANIC, a runtime abort); every statement then fails at once. */
  failure(): EmbeddedFailure | null;
  close(): Promise<void>;
}

export interface OpenEmbeddedOptions extends DurableOptions {
  dataDir: string;
  /** What the opener does, for the lock ("the agencies service", "npm run seed"). */
  purpose: string;
  /** A failure of the instance once open (the service logs it and stops). */
  onFailure?: (failure: EmbeddedFailure) => void;
  /** A statement failed for a reason an operator must see (disk full, a corrupted page): one line for the log. */
  onProblem?: (message: string) => void;
  /** A stale lock of a dead process was taken over. */
  onTakeover?: (previous: LockHolder | null) => void;
  /** Restore: load this tarball (PGlite's dump of a data directory) into the empty directory. */
  loadDataDir?: Blob;
  /** A lock the caller already holds on this directory (restore holds it across the swap). */
  lock?: DataLock;
}

const tail = (lines: string[]) => lines.slice(-6).join(' ');

function classify(dataDir: string, text: string): EmbeddedFailure {
  if (/No space left on device|disk full|ENOSPC/i.test(text)) {
    return {
      problem: 'disk-full',
      reason: 'the disk holding its database is full',
      message: `the disk holding ${dataDir} is full (${text.trim()}); free space on it, then start the service again: the database recovers every acknowledged write`,
    };
  }
  if (/Read-only file system|Permission denied|EROFS|EACCES|EPERM/i.test(text)) {
    return {
      problem: 'read-only',
      reason: 'its database directory is not writable',
      message: `${dataDir} is not writable (${text.trim()}); make it writable for this user (e.g. chmod -R u+w ${dataDir}) or set DATA_DIR to a writable directory`,
    };
  }
  return {
    problem: 'corrupted',
    reason: 'its database could not be read',
    message: `${dataDir} could not be opened as a database (${text.trim()}); restore the latest backup (npm run db:restore <file>), or move the directory away to start with an empty database`,
  };
}

/** Refuses a directory this process cannot write before PostgreSQL trips over it half-way. */
function checkWritable(dataDir: string): void {
  const fail = (error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    const failure = classify(dataDir, `${code}: ${(error as Error).message}`);
    throw new EmbeddedDatabaseError(failure.problem, dataDir, failure.message);
  };
  try {
    mkdirSync(dataDir, { recursive: true });
    accessSync(dataDir, constants.W_OK);
    // root passes access(); a read-only mount does not pass a real write.
    const probe = path.join(dataDir, `.write-check-${process.pid}`);
    writeFileSync(probe, '');
    unlinkSync(probe);
    for (const sub of ['pg_wal', 'base', 'global']) {
      const dir = path.join(dataDir, sub);
      if (readdirSync(dataDir).includes(sub)) accessSync(dir, constants.W_OK);
    }
  } catch (error) {
    fail(error);
  }
}

const FATAL_SEVERITIES = new Set(['PANIC', 'FATAL']);
/** SQLSTATEs of statement errors that mean the storage is in trouble (not the request). */
const STORAGE_CODES: Record<string, string> = {
  '53100': 'disk full',
  '53000': 'insufficient resources',
  XX001: 'a corrupted data page',
  XX002: 'a corrupted index',
  '58P01': 'a missing database file',
  '58030': 'an I/O error',
};

/** Opens (creating when empty) the embedded database in `dataDir`, durably, as its only owner. */
export async function openEmbedded(options: OpenEmbeddedOptions): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(options.dataDir);
  checkWritable(dataDir);
  let lock: DataLock;
  try {
    lock = options.lock ?? acquireDataLock(dataDir, options.purpose, options.onTakeover);
  } catch (error) {
    if (error instanceof DataDirLocked) throw new EmbeddedDatabaseError('locked', dataDir, error.message);
    throw error;
  }
  const stderr: string[] = [];
  const pgOptions: PGliteOptions = {
    fs: new DurableNodeFS(dataDir, options),
    startParams: options.durable === false ? [...PGlite.defaultStartParams] : [...DURABLE_START_PARAMS],
    loadDataDir: options.loadDataDir,
    // PostgreSQL's own log lines: keep the last few to explain a failure (they say what went wrong).
    onStderr: (text: string) => {
      for (const line of text.split('\n')) {
        const clean = line.replace(/^\S+ \S+ UTC \[\d+\] /, '').trim();
        if (clean) stderr.push(clean);
      }
      if (stderr.length > 50) stderr.splice(0, stderr.length - 50);
      return true;
    },
  } as PGliteOptions;
  let pglite: PGlite;
  try {
    pglite = new PGlite(pgOptions);
    await pglite.waitReady;
  } catch (error) {
    lock.release();
    const important = stderr.filter((l) => /^(FATAL|PANIC|ERROR|DETAIL|HINT):/.test(l));
    const failure = classify(dataDir, tail(important.length ? important : [...stderr, String((error as Error).message)]));
    throw new EmbeddedDatabaseError(failure.problem, dataDir, failure.message);
  }

  let failed: EmbeddedFailure | null = null;
  const fail = (text: string) => {
    if (failed) return;
    const base = classify(dataDir, text);
    failed = {
      problem: base.problem === 'corrupted' ? 'failed' : base.problem,
      reason: base.problem === 'corrupted' ? 'its database stopped' : base.reason,
      message:
        base.problem === 'corrupted'
          ? `the database in ${dataDir} stopped (${text.trim()}); start the service again: PostgreSQL recovers every acknowledged write from its WAL`
          : base.message,
    };
    options.onFailure?.(failed);
  };
  const unavailable = () =>
    new EmbeddedDatabaseError(failed!.problem, dataDir, `The database in ${dataDir} is unavailable: ${failed!.message}`);
  const reported = new Set<string>();
  // Every statement, in or out of a transaction, goes through these three methods.
  const target = pglite as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  for (const method of ['execProtocolRaw', 'execProtocol', 'execProtocolStream'] as const) {
    const original = target[method]!.bind(pglite);
    target[method] = async (...args: unknown[]) => {
      if (failed) throw unavailable();
      try {
        return await original(...args);
      } catch (error) {
        const severity = (error as { severity?: string }).severity;
        const code = (error as { code?: string }).code;
        if (error instanceof WebAssembly.RuntimeError || (error as Error)?.name === 'ExitStatus' || FATAL_SEVERITIES.has(severity ?? '')) {
          fail(`${severity ?? (error as Error).name}: ${(error as Error).message}`);
          throw unavailable();
        }
        if (code && STORAGE_CODES[code] && options.onProblem) {
          const line = classify(dataDir, `${code} ${STORAGE_CODES[code]}: ${(error as Error).message}`).message;
          // Once per kind of message: a full disk fails every write, the log needs it once.
          if (!reported.has(code)) {
            reported.add(code);
            options.onProblem(line);
          }
        }
        throw error;
      }
    };
  }
  return {
    pglite,
    dataDir,
    lock,
    failure: () => failed,
    async close() {
      try {
        // A failed instance cannot shut down cleanly; its WAL is what the next start recovers from.
        if (!failed && !pglite.closed) await pglite.close();
      } finally {
        lock.release();
      }
    },
  };
}

/**
 * A consistent copy of a running embedded database: a checkpoint (so the copy needs little recovery),
 * then PGlite's gzipped tarball of the data directory. `dumpDataDir` reads every file in one
 * synchronous step, so no statement runs meanwhile; holding PGlite's transaction mutex keeps a
 * transaction from being half-way through it too. (Under PGlite's query mutex, `runExclusive`,
 * `dumpDataDir` never returns.) The copy is what a crash at that instant would leave: PostgreSQL
 * recovers it when it is opened.
 */
export async function dumpEmbedded(pglite: PGlite): Promise<Blob> {
  await pglite.exec('CHECKPOINT');
  const internals = pglite as unknown as { _runExclusiveTransaction<T>(fn: () => Promise<T>): Promise<T> };
  return internals._runExclusiveTransaction(() => pglite.dumpDataDir('gzip'));
}

/**
 * pglite-prisma-adapter 0.7.2 (the latest) reports a failed COMMIT as a success: its transaction
 * promise ends in `.catch(reject)` on a promise that has already resolved, so `commit()` awaits a
 * promise that resolves whatever happened. A COMMIT that PostgreSQL refused (the disk full under the
 * WAL, a deferred constraint) was acknowledged to the client and then missing. This records the real
 * outcome of every PGlite transaction, keyed by its transaction object, so the adapter's commit can be
 * made to wait for it and fail with it (`surfaceCommitFailures` in database.ts).
 */
const transactionOutcomes = new WeakMap<object, Promise<unknown>>();

export function recordTransactionOutcomes(pglite: PGlite): void {
  const original = pglite.transaction.bind(pglite);
  (pglite as { transaction: PGlite['transaction'] }).transaction = ((callback: (tx: object) => Promise<unknown>) => {
    // The callback runs once PGlite's transaction mutex is ours, after `outcome` is assigned.
    const outcome: Promise<unknown> = original(async (tx) => {
      transactionOutcomes.set(tx, outcome);
      return callback(tx);
    });
    return outcome;
  }) as PGlite['transaction'];
}

/** The real outcome of the PGlite transaction `tx` (rejects when its COMMIT failed); undefined if unknown. */
export function transactionOutcome(tx: object): Promise<unknown> | undefined {
  return transactionOutcomes.get(tx);
}
