/**
 * Jest runner: jest-light-runner's child-process runtime (its src/index.js, MIT, Nicolò Ribaudo, cut down
 * to that runtime) with a watchdog per test file. Each test file runs in one of `maxWorkers` child
 * processes, through jest-light-runner's own worker (worker-runner.js), as `jest-light-runner/child-process`
 * would run it; what differs:
 * - each child process gets its start-up data on a channel of its own (channelTo below);
 * - a file that has not finished `fileTimeout` ms after it started (jest.config.js; 5 minutes) fails
 *   with a message saying so, and its worker process is killed and replaced. Tests and hooks have their
 *   own timeouts (tests/jest/globals.js), but nothing else would stop a file stuck while loading its
 *   modules, or in code no test or hook awaits: Jest would wait for ever, and CI for its whole budget.
 * - `isolate: true` gives each file a fresh process (slower: every file loads its modules again).
 * - `--runInBand` (`-i`) runs one child process rather than Jest's own process, so that a file's open
 *   handles never keep Jest from exiting.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const lightRunner = import.meta.resolve('jest-light-runner');
const WORKER = new URL('./worker-runner.js', lightRunner);
const { default: Tinypool } = await import(pathToFileURL(createRequire(lightRunner).resolve('tinypool')).href);

const DEFAULT_FILE_TIMEOUT = 5 * 60_000;

/** The failure of a file its watchdog stopped. */
function fileTimedOut(path, ms) {
  const error = new Error(
    `${path} did not finish within ${ms / 1000} s (fileTimeout in jest.config.js); its worker process was killed.\n` +
      'Tests and hooks have their own timeouts, so the file was stuck outside them: loading its modules ' +
      '(a top-level await, an import that never settles) or in work that no test or hook awaits.',
  );
  error.stack = error.message;
  return error;
}

/**
 * The channel of one run: a child process asks for its workerData through it when it starts
 * (worker-runner.js), and only that child gets the answer. jest-light-runner shares one channel between
 * the children of a pool and answers a request to every child that was given a file; a child that was
 * still starting then lost that answer, and its own request later found no one to answer it: it waited
 * for ever at 0% CPU before loading its first file (a full run once hung so on
 * services/awards/src/writes.test.ts; four trivial files on a loaded machine hung 2 runs in 30 with
 * jest-light-runner/child-process, none in 40 with this runner).
 */
function channelTo(workerData) {
  let child = null;
  return {
    onMessage(listener) {
      child = listener;
    },
    postMessage(message) {
      if (message === 'jest-light-runner-get-worker-data') child?.({ type: 'jest-light-runner-worker-data', workerData });
    },
  };
}

export default class WatchdogRunner {
  #globalConfig;
  #options;
  #pools = new Map();

  constructor(globalConfig, _context, options = {}) {
    this.#globalConfig = globalConfig;
    this.#options = { fileTimeout: DEFAULT_FILE_TIMEOUT, isolate: false, ...options };
  }

  async runTests(tests, _watcher, onStart, onResult, onFailure) {
    const slots = Math.max(1, this.#globalConfig.maxWorkers);
    const queue = [...tests];
    const lane = async () => {
      for (let test = queue.shift(); test; test = queue.shift()) {
        await onStart(test)
          .then(() => this.#run(test))
          .then((result) => onResult(test, result))
          .catch((error) => onFailure(test, error));
      }
    };
    await Promise.all(Array.from({ length: slots }, lane));
    await Promise.all(Array.from(this.#pools.values(), ({ destroy }) => destroy()));
    this.#pools.clear();
  }

  async #run(test) {
    const { fileTimeout } = this.#options;
    const { pool, workerData } = this.#pool(test.context.config);
    try {
      return await pool.run(test.path, { channel: channelTo(workerData), signal: AbortSignal.timeout(fileTimeout) });
    } catch (error) {
      if (error?.name === 'AbortError') throw fileTimedOut(test.path, fileTimeout);
      throw error;
    }
  }

  /** One pool of child processes per Jest project, as in jest-light-runner. */
  #pool(projectConfig) {
    if (!this.#pools.has(projectConfig)) {
      const { maxWorkers } = this.#globalConfig;
      const workerData = { globalConfig: this.#globalConfig, projectConfig, runtime: 'child_process' };
      const pool = new Tinypool({
        filename: WORKER,
        runtime: 'child_process',
        minThreads: maxWorkers,
        maxThreads: maxWorkers,
        isolateWorkers: this.#options.isolate,
        env: process.env,
        trackUnmanagedFds: false,
        workerData,
      });
      const destroy = () => {
        for (const { process: child } of pool.threads) {
          // jest-light-runner disconnects rather than kills at the end, so that a child can write coverage.
          const kill = child.kill;
          child.kill = (signal) => {
            if (signal) return kill.call(child, signal);
            child.disconnect();
            child.kill = kill;
          };
        }
        return pool.destroy();
      };
      this.#pools.set(projectConfig, { pool, workerData, destroy });
    }
    return this.#pools.get(projectConfig);
  }
}
