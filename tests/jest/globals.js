/**
 * What test files get when they import from `@jest/globals` (resolve.js maps it here): the functions
 * jest-light-runner puts on the global object (jest-circus's `describe`/`it`/hooks, Jest's `expect`, its
 * partial `jest`), with what that runner leaves out:
 * - timeouts: 60 s for a test and 120 s for a hook unless the call gives its own (`it(name, fn, ms)`,
 *   `beforeAll(fn, ms)`); the runner itself enforces none. A test or hook past its time fails with
 *   Jest's message; what it started keeps running, as under Jest.
 * - a skipped `describe` (`describe.skip`, `(condition ? describe.skip : describe)`) registers each of
 *   its tests as skipped, so they count one by one (the runner counts a skipped block as one test);
 *   its hooks do not run.
 * - the tests of a block whose `beforeAll` failed fail at once, without running (the runner runs them).
 * This module is loaded once per worker process and shared by the test files that process runs.
 */
const circus = { describe: globalThis.describe, it: globalThis.it, test: globalThis.test };
const hooks = {
  beforeAll: globalThis.beforeAll,
  afterAll: globalThis.afterAll,
  beforeEach: globalThis.beforeEach,
  afterEach: globalThis.afterEach,
};
if (typeof circus.describe !== 'function' || typeof hooks.beforeAll !== 'function') {
  throw new Error('@jest/globals: run the tests with Jest (jest.config.js; `npx jest <file>`), not with node or tsx');
}

export const TEST_TIMEOUT = 60_000;
export const HOOK_TIMEOUT = 120_000;

/** Depth of skipped `describe` blocks being defined right now. */
let skipping = 0;

/**
 * The blocks being defined, innermost last, each `{ parent, failed }`: `failed` is the error of its
 * `beforeAll` hook. The runner runs a block's tests even when its `beforeAll` failed; as under Jest, they
 * fail at once with that error instead (a stack that did not start would otherwise fail each test slowly).
 * A new list for each test file (the runner names the file in expect's state before loading it).
 */
let blocks = [];
let blocksOf = null;
function currentBlock() {
  const file = globalThis.expect.getState().testPath;
  if (file !== blocksOf) {
    blocksOf = file;
    blocks = [{ parent: null, failed: null }];
  }
  return blocks[blocks.length - 1];
}
function defining(fn) {
  return (...args) => {
    blocks.push({ parent: currentBlock(), failed: null });
    try {
      return fn(...args);
    } finally {
      blocks.pop();
    }
  };
}
/** `fn`, failing at once if a `beforeAll` of its block or of a block around it failed. */
function unlessSetUpFailed(fn) {
  if (typeof fn !== 'function') return fn;
  const block = currentBlock();
  return function (...args) {
    for (let b = block; b; b = b.parent) {
      if (b.failed) throw new Error(`Not run: a beforeAll hook of its block failed (${b.failed?.message ?? b.failed})`);
    }
    return fn.apply(this, args);
  };
}

/**
 * `fn` failing after `ms` if it has not settled. `where` is made where the test or hook was declared,
 * so that the failure points there. With `passArguments` (`.each`), the row's values go through;
 * otherwise a function that declares a parameter gets Jest's `done` callback.
 */
function timed(fn, ms, kind, where, passArguments = false) {
  if (typeof fn !== 'function') return fn;
  return function (...args) {
    const run =
      !passArguments && fn.length >= 1
        ? new Promise((resolve, reject) => fn.call(this, (error) => (error ? reject(error) : resolve())))
        : Promise.resolve().then(() => fn.apply(this, passArguments ? args : []));
    let timer;
    const late = new Promise((_, reject) => {
      timer = setTimeout(() => {
        const error = new Error(
          `Exceeded timeout of ${ms} ms for a ${kind}.\n` +
            `Add a timeout value to this ${kind} to increase the timeout, if this is a long-running ${kind}.`,
        );
        // `where` has no message: its stack is "Error" and the frames of the declaration.
        error.stack = `Error: ${error.message}${where.stack.slice(where.stack.indexOf('\n'))}`;
        reject(error);
      }, ms);
    });
    return Promise.race([run, late]).finally(() => clearTimeout(timer));
  };
}

/** `it`/`test`, with `.skip`, `.only`, `.todo`, `.each` and their `.each`. */
function makeTest(base) {
  const declared = (name, fn, timeout) => {
    if (skipping) return base.skip(name, fn);
    return base(name, unlessSetUpFailed(timed(fn, timeout ?? TEST_TIMEOUT, 'test', new Error())), timeout);
  };
  const only = (name, fn, timeout) => {
    if (skipping) return base.skip(name, fn);
    return base.only(name, unlessSetUpFailed(timed(fn, timeout ?? TEST_TIMEOUT, 'test', new Error())), timeout);
  };
  const each =
    (variant) =>
    (...table) =>
    (name, fn, timeout) => {
      if (skipping) return base.skip.each(...table)(name, fn);
      return variant.each(...table)(name, unlessSetUpFailed(timed(fn, timeout ?? TEST_TIMEOUT, 'test', new Error(), true)), timeout);
    };
  declared.skip = base.skip;
  declared.only = only;
  declared.todo = base.todo;
  declared.each = each(base);
  only.each = each(base.only);
  return declared;
}

export const it = makeTest(circus.it);
export const test = makeTest(circus.test);
export const xit = it.skip;
export const xtest = test.skip;
export const fit = it.only;

const defineSkipped = (name, fn) =>
  circus.describe(name, () => {
    skipping += 1;
    try {
      fn();
    } finally {
      skipping -= 1;
    }
  });

export const describe = (name, fn) => circus.describe(name, defining(fn));
describe.skip = defineSkipped;
describe.only = (name, fn) => (skipping ? circus.describe : circus.describe.only)(name, defining(fn));
// Inside a skipped block, blocks and tests are defined while `skipping` is set: they see it themselves.
describe.each =
  (...table) =>
  (name, fn, timeout) =>
    circus.describe.each(...table)(name, defining(fn), timeout);
export const xdescribe = describe.skip;
export const fdescribe = describe.only;

const makeHook =
  (register, recordFailure = false) =>
  (fn, timeout) => {
    if (skipping) return;
    const run = timed(fn, timeout ?? HOOK_TIMEOUT, 'hook', new Error());
    if (!recordFailure || typeof run !== 'function') return register(run, timeout);
    const block = currentBlock();
    register(function () {
      return run.call(this).catch((error) => {
        block.failed = error ?? new Error('beforeAll failed');
        throw error;
      });
    }, timeout);
  };
export const beforeAll = makeHook(hooks.beforeAll, true);
export const afterAll = makeHook(hooks.afterAll);
export const beforeEach = makeHook(hooks.beforeEach);
export const afterEach = makeHook(hooks.afterEach);

export const expect = globalThis.expect;
export const jest = globalThis.jest;
