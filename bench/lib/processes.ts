/**
 * The child processes of a benchmark run: long-running services (subgraphs, gateways) with their
 * output in log files, and commands run to completion (the seed) with their output on the terminal.
 * Every child gets its own process group, so stopping it also stops what it started (npm → sh →
 * node), and only the processes started here are ever signalled.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../packages/common/src/config.ts';

interface Child {
  name: string;
  process: ChildProcess;
  exited: Promise<void>;
  logFile?: string;
}

const STOP_TIMEOUT_MS = 10_000;

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

/** The last lines of a log file, for error messages. */
export function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

export class Processes {
  private readonly children = new Map<string, Child>();
  private stopping = false;
  /** Services that exited while they should have been running. */
  readonly crashed: string[] = [];
  /** When set, services write a V8 CPU profile on exit to `<cpuProfDir>/<name>/`. */
  cpuProfDir?: string;

  /** Starts a TypeScript entry point with tsx as a long-running service; output goes to `logFile`. */
  startService(name: string, entry: string, env: NodeJS.ProcessEnv, logFile: string): ChildProcess {
    const log = createWriteStream(logFile, { flags: 'a' });
    const profile = this.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${path.join(this.cpuProfDir, name)}`] : [];
    const child = spawn(process.execPath, [...profile, '--import', 'tsx', entry], {
      cwd: PROJECT_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    const exited = new Promise<void>((resolve) =>
      child.once('exit', (code, signal) => {
        this.children.delete(name);
        if (!this.stopping) {
          this.crashed.push(name);
          console.error(`[bench] ${name} exited unexpectedly (${signal ?? code}); log: ${logFile}\n${tail(logFile)}`);
        }
        resolve();
      }),
    );
    this.children.set(name, { name, process: child, exited, logFile });
    return child;
  }

  /** Runs a command to completion with its output on the terminal; rejects on a non-zero exit. */
  async run(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
    const child = spawn(command, args, { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'inherit', 'inherit'], detached: true });
    let code: number | null = null;
    let signal: NodeJS.Signals | null = null;
    const exited = new Promise<void>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (c, s) => {
        code = c;
        signal = s;
        this.children.delete(name);
        resolve();
      });
    });
    this.children.set(name, { name, process: child, exited: exited.catch(() => undefined) });
    await exited;
    if (code !== 0) throw new Error(`${name} (${command} ${args.join(' ')}) failed (${signal ?? `exit code ${code}`})`);
  }

  pid(name: string): number | undefined {
    return this.children.get(name)?.process.pid;
  }

  names(): string[] {
    return [...this.children.keys()];
  }

  isRunning(name: string): boolean {
    return this.children.has(name);
  }

  /** Throws when a service has died since it started. */
  assertAlive(): void {
    if (this.crashed.length) throw new Error(`service(s) exited during the benchmark: ${this.crashed.join(', ')}`);
  }

  /** Waits until `check` succeeds; fails early when the process exits. */
  async waitReady(name: string, check: () => Promise<boolean>, timeoutMs = 180_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const child = this.children.get(name);
      if (!child) throw new Error(`${name} exited before it was ready${this.logHint(name)}`);
      try {
        if (await check()) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`${name} was not ready within ${timeoutMs / 1000} s${this.logHint(name)}`);
  }

  private logHint(name: string): string {
    const file = this.children.get(name)?.logFile;
    return file ? `; log: ${file}\n${tail(file)}` : '';
  }

  /**
   * SIGTERM to the process groups of the named children (default: all), SIGKILL to those still
   * running after 10 s.
   */
  async stopAll(names?: string[]): Promise<void> {
    this.stopping = true;
    const children = [...this.children.values()].filter((c) => !names || names.includes(c.name));
    for (const child of children) signalGroup(child.process, 'SIGTERM');
    const all = Promise.all(children.map((c) => c.exited));
    const timedOut = await Promise.race([all.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), STOP_TIMEOUT_MS))]);
    if (timedOut) {
      for (const child of children.filter((c) => this.children.has(c.name))) {
        console.error(`[bench] ${child.name} did not stop within ${STOP_TIMEOUT_MS / 1000} s: SIGKILL`);
        signalGroup(child.process, 'SIGKILL');
      }
      await Promise.race([all, new Promise((r) => setTimeout(r, 2_000))]);
    }
    this.stopping = false;
  }
}
