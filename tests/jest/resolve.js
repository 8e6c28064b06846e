/**
 * Module resolve hook (registered by setup.js): `@jest/globals` is tests/jest/globals.js. Jest's own
 * package only works inside Jest's module sandbox, which jest-light-runner does not use.
 */
const GLOBALS = new URL('./globals.js', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  if (specifier === '@jest/globals') return { url: GLOBALS, format: 'module', shortCircuit: true };
  return nextResolve(specifier, context);
}
