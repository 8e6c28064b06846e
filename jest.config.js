/**
 * Jest 30 runs the test files with jest-light-runner in child processes (tests/jest/runner.js): each
 * file is a native ES module loaded by Node through tsx (tests/jest/setup.js), with no VM sandbox and no
 * transform, and the modules a file imports stay loaded in its worker process for the next files.
 * Timeouts (60 s a test, 120 s a hook) and `@jest/globals` come from tests/jest/globals.js; a file that
 * runs longer than `fileTimeout` fails and its worker process is replaced (runner.js).
 */

/** @type {import('jest').Config} */
export default {
  runner: ['<rootDir>/tests/jest/runner.js', { fileTimeout: 5 * 60_000 }],
  roots: ['<rootDir>/packages', '<rootDir>/services', '<rootDir>/gateway', '<rootDir>/tests', '<rootDir>/scripts'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/generated/'],
  setupFiles: ['<rootDir>/tests/jest/setup.js'],
  // Each file opens its own databases and servers; two at a time on the 2-core CI machine.
  maxWorkers: 2,
};
