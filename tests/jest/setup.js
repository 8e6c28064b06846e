/**
 * Runs once in each of Jest's worker processes (jest.config.js `setupFiles`), before any test file:
 * the test files and what they import are TypeScript ES modules loaded by Node itself, as `npm start`
 * loads them, through tsx's loader (`.ts` files and import paths, workspace packages that export `.ts`,
 * `import.meta`, Prisma's ESM clients, PGlite's WebAssembly). `@jest/globals` is resolved to
 * tests/jest/globals.js (resolve.js).
 */
import { register } from 'node:module';

await import('tsx');
register('./resolve.js', import.meta.url);
