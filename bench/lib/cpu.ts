/**
 * CPU accounting from /proc (Linux): CPU seconds used by each benchmark process during a phase, and
 * by the whole machine, so a result shows where the two shared cores went (and how much went to
 * processes outside the benchmark, e.g. PostgreSQL or other people's tests).
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU seconds (user + system) a process has used, or undefined when it cannot be read. */
function processCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND; // utime, stime (fields 14, 15)
  } catch {
    return undefined;
  }
}

/** Busy and total CPU seconds of the whole machine since boot. */
function machineCpuSeconds(): { busy: number; total: number } | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const values = line.trim().split(/\s+/).slice(1).map(Number);
    const total = values.reduce((a, b) => a + b, 0);
    const idle = (values[3] ?? 0) + (values[4] ?? 0); // idle + iowait
    return { busy: (total - idle) / TICKS_PER_SECOND, total: total / TICKS_PER_SECOND };
  } catch {
    return undefined;
  }
}

export interface CpuUsage {
  /** Wall-clock seconds of the phase. */
  seconds: number;
  /**
   * CPU seconds per benchmark process (`harness` is the load generator; `postgres` the PostgreSQL
   * backends serving the benchmark's database, when known).
   */
  processes: Record<string, number>;
  /** CPU seconds of the whole machine (all cores) and of everything else (other users' processes …). */
  machineBusy?: number;
  other?: number;
  /** 1-minute load average at the end of the phase. */
  loadAverage: number;
}

/**
 * Starts measuring; the returned function ends the phase and gives the usage. `pids` are the
 * benchmark's own processes; `postgresPids` (optional) lists the PostgreSQL backends serving the
 * benchmark's database at a moment: backends that started during the phase count in full, those that
 * ended during it are lost (the services' pools keep theirs open).
 */
export async function measureCpu(
  pids: Record<string, number | undefined>,
  postgresPids?: () => Promise<number[]>,
): Promise<() => Promise<CpuUsage>> {
  const started = Date.now();
  const harness = process.cpuUsage();
  const before = Object.fromEntries(
    Object.entries(pids).map(([name, pid]) => [name, pid === undefined ? undefined : processCpuSeconds(pid)]),
  );
  const postgresBefore = new Map((postgresPids ? await postgresPids() : []).map((pid) => [pid, processCpuSeconds(pid) ?? 0]));
  const machine = machineCpuSeconds();
  return async () => {
    const processes: Record<string, number> = {};
    const used = process.cpuUsage(harness);
    processes.harness = round((used.user + used.system) / 1e6);
    for (const [name, pid] of Object.entries(pids)) {
      const after = pid === undefined ? undefined : processCpuSeconds(pid);
      const start = before[name];
      if (after !== undefined && start !== undefined) processes[name] = round(after - start);
    }
    if (postgresPids) {
      let postgres = 0;
      for (const pid of await postgresPids()) postgres += (processCpuSeconds(pid) ?? 0) - (postgresBefore.get(pid) ?? 0);
      processes.postgres = round(postgres);
    }
    const machineAfter = machineCpuSeconds();
    const machineBusy = machine && machineAfter ? round(machineAfter.busy - machine.busy) : undefined;
    const ours = Object.values(processes).reduce((a, b) => a + b, 0);
    return {
      seconds: round((Date.now() - started) / 1000),
      processes,
      machineBusy,
      other: machineBusy === undefined ? undefined : round(Math.max(0, machineBusy - ours)),
      loadAverage: round(os.loadavg()[0]!),
    };
  };
}

const round = (n: number) => Math.round(n * 100) / 100;
