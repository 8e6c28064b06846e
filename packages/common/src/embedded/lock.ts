/**
 * One owner per embedded database. PGlite runs PostgreSQL inside the process that opens the data
 * directory, so a second process opening the same directory runs a second PostgreSQL on the same
 * files: both write, neither knows, and the directory is ruined (PostgreSQL's own postmaster.pid
 * cannot stop it: every PGlite reports the same pid). Before a process opens `.data/<service>` it
 * takes `.data/<service>.lock`; a second opener is refused at once, told who holds it and what to do.
 *
 * The lock file says who holds it (pid, host, command, start time, and the URL where a service
 * answers, so commands can do their work through it). It is created atomically (written to a
 * temporary file, then hard-linked into place, which fails if the lock exists), removed on close and
 * on exit. A lock left by a process that died (kill -9, a crash, a power cut) is stale: on the same
 * host its pid no longer runs, or runs a different program (pid reuse, checked by the process start
 * time where the system tells it). A stale lock is taken over under a second, short-lived "takeover"
 * file, so two processes that find the same stale lock at the same moment cannot both win.
 *
 * Hand-written because the lock libraries on npm decide staleness by the lock's age (proper-lockfile
 * refreshes an mtime on a timer): a process busy in a long synchronous PGlite statement would look
 * dead, and a really dead one would look alive until the timeout.
 */
import { closeSync, linkSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync, writeSync, fsyncSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';

export interface LockHolder {
  pid: number;
  host: string;
  /** The command line, shortened: what the holder is (`npm start`'s agencies service, `npm run seed`, a test). */
  command: string;
  /** What the holder does with the directory, in words ("the agencies service", "npm run seed"). */
  purpose: string;
  /** ISO time the lock was taken. */
  since: string;
  /** Linux: the process start time in clock ticks since boot (`/proc/<pid>/stat` field 22), to tell a reused pid. */
  processStart: number | null;
  /** Set by a service once it listens: where commands can ask it to do their work. */
  url?: string;
  /** The `npm start` that supervises the holder (it would start a killed service again): stop that one. */
  startedBy?: number;
  /** Unique per acquisition, so a holder releases only its own lock. */
  token: string;
}

export type LockState = { state: 'free' } | { state: 'held'; holder: LockHolder } | { state: 'stale'; holder: LockHolder | null };

/** The lock file of an embedded data directory: `<dir>.lock`, beside it (PGlite wants the directory to itself). */
export function lockPathOf(dataDir: string): string {
  return `${path.resolve(dataDir)}.lock`;
}

/** Process start time of `pid` (Linux), or null where the system does not tell. */
function processStartOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (the command name) is in parentheses and may contain spaces: count from the last ")".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const start = Number(fields[19]);
    return Number.isFinite(start) ? start : null;
  } catch {
    return null;
  }
}

function pidRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Locks this process holds, by path: a second open in the same process is refused like any other. */
const heldHere = new Map<string, LockHolder>();

function readHolder(file: string): LockHolder | null | 'missing' {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
  try {
    const holder = JSON.parse(text) as LockHolder;
    return typeof holder.pid === 'number' && typeof holder.host === 'string' ? holder : null;
  } catch {
    return null;
  }
}

/** Whether the holder of a lock still runs. A holder on another host cannot be checked: it counts as alive. */
function alive(holder: LockHolder, file: string): boolean {
  if (holder.host !== os.hostname()) return true;
  if (holder.pid === process.pid) return heldHere.get(file)?.token === holder.token;
  if (!pidRuns(holder.pid)) return false;
  const start = processStartOf(holder.pid);
  return holder.processStart === null || start === null || start === holder.processStart;
}

/** Who holds the lock of `dataDir`, if anyone alive does. */
export function inspectLock(dataDir: string): LockState {
  const file = lockPathOf(dataDir);
  const holder = readHolder(file);
  if (holder === 'missing') return { state: 'free' };
  if (holder === null) return { state: 'stale', holder: null };
  return alive(holder, file) ? { state: 'held', holder } : { state: 'stale', holder };
}

/** A data directory that another live process has open. */
export class DataDirLocked extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    super(lockedMessage(dataDir, holder));
    this.name = 'DataDirLocked';
  }
}

function describeHolder(holder: LockHolder): string {
  const where = holder.host === os.hostname() ? `pid ${holder.pid}` : `pid ${holder.pid} on host ${holder.host}`;
  return `${holder.purpose} (${where}, since ${holder.since.replace('T', ' ').slice(0, 19)} UTC, command: ${holder.command})`;
}

/** How to stop the holder: its `npm start` when it has one (it would start a killed service again). */
export function howToStop(holder: LockHolder): string {
  if (holder.host !== os.hostname()) return `stop it on ${holder.host}`;
  if (holder.startedBy) return `stop the npm start that runs it (Ctrl-C in its terminal, or kill ${holder.startedBy})`;
  return `stop it (Ctrl-C in its terminal, or kill ${holder.pid})`;
}

export function lockedMessage(dataDir: string, holder: LockHolder): string {
  const other =
    holder.host === os.hostname()
      ? `${howToStop(holder)} first`
      : `${howToStop(holder)} first; if that host is gone for good, delete ${lockPathOf(dataDir)}`;
  return (
    `${dataDir} is in use by ${describeHolder(holder)}. An embedded database has one owner at a time: ` +
    `${other}, let the running services do the work (npm run seed, db:migrate and db:backup do it through them), ` +
    `or use PostgreSQL (DATABASE_URL) to share a database between processes.`
  );
}

function shortCommand(): string {
  const args = process.argv.slice(1).map((a) => (a.startsWith(process.cwd()) ? path.relative(process.cwd(), a) : a));
  const line = [path.basename(process.argv0), ...args].join(' ');
  return line.slice(0, 300);
}

/** Writes `content` to a new temporary file beside `target` and links it to `target`; false if `target` exists. */
function createAtomically(target: string, content: string): boolean {
  const temp = `${target}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`;
  const fd = openSync(temp, 'wx', 0o644);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(temp, target);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(temp);
  }
}

export interface DataLock {
  readonly path: string;
  readonly holder: LockHolder;
  /** Records where the service answers (for commands that do their work through it). */
  setUrl(url: string): void;
  release(): void;
}

/**
 * Takes the lock of `dataDir` for this process, or throws DataDirLocked naming the holder. A stale
 * lock (dead holder, unreadable file) is taken over; `onTakeover` hears about it (for the log).
 */
export function acquireDataLock(dataDir: string, purpose: string, onTakeover?: (previous: LockHolder | null) => void): DataLock {
  const file = lockPathOf(dataDir);
  const holder: LockHolder = {
    pid: process.pid,
    host: os.hostname(),
    command: shortCommand(),
    purpose,
    since: new Date().toISOString(),
    processStart: processStartOf(process.pid),
    token: randomUUID(),
    ...(Number(process.env.REGISTRY_STARTED_BY) > 0 ? { startedBy: Number(process.env.REGISTRY_STARTED_BY) } : {}),
  };
  const mine = heldHere.get(file);
  if (mine) throw new DataDirLocked(dataDir, mine);
  for (let attempt = 0; ; attempt++) {
    if (createAtomically(file, JSON.stringify(holder))) break;
    const current = readHolder(file);
    if (current === 'missing') continue;
    if (current !== null && alive(current, file)) throw new DataDirLocked(dataDir, current);
    if (!takeOver(file, current, holder)) {
      // Someone else is taking it over right now: look again in a moment.
      if (attempt > 50) throw new Error(`${file}: could not take over a stale lock (another process keeps taking it over); try again`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
      continue;
    }
    onTakeover?.(current);
    break;
  }
  heldHere.set(file, holder);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    heldHere.delete(file);
    process.off('exit', release);
    const current = readHolder(file);
    if (current !== 'missing' && current !== null && current.token === holder.token) unlinkSync(file);
  };
  // A process that exits without closing (process.exit, an uncaught error) leaves no lock behind.
  process.on('exit', release);
  return {
    path: file,
    holder,
    setUrl(url) {
      holder.url = url;
      const temp = `${file}.${process.pid}.url.tmp`;
      writeFileSync(temp, JSON.stringify(holder));
      renameSync(temp, file);
    },
    release,
  };
}

/**
 * Replaces the stale lock `previous` (null: unreadable) by ours, under `<lock>.takeover`. Returns
 * false when another process holds the takeover file (it is doing the same thing).
 */
function takeOver(file: string, previous: LockHolder | null, holder: LockHolder): boolean {
  const guard = `${file}.takeover`;
  if (!createAtomically(guard, JSON.stringify(holder))) {
    const other = readHolder(guard);
    // A takeover file whose writer died in the few microseconds it exists: remove it and try again.
    if (other !== 'missing' && (other === null || !alive(other, guard))) {
      try {
        unlinkSync(guard);
      } catch {
        // another process removed it
      }
    }
    return false;
  }
  try {
    const current = readHolder(file);
    const same = current === 'missing' || (current === null ? previous === null : current.token === previous?.token);
    if (!same) return false;
    if (current !== 'missing') unlinkSync(file);
    // Only a live process can have created the lock since: then it is theirs, and ours is refused.
    if (!createAtomically(file, JSON.stringify(holder))) return false;
    return true;
  } finally {
    unlinkSync(guard);
  }
}
