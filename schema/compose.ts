/**
 * `npm run compose` writes schema/supergraph.graphql; `npm run compose -- --check` fails when the
 * committed file differs from a fresh composition (CI runs the check through `npm test`).
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { composeSupergraph, SUPERGRAPH_PATH } from './composition.ts';

const check = process.argv.includes('--check');
let fresh: string;
try {
  fresh = composeSupergraph();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
if (check) {
  const committed = existsSync(SUPERGRAPH_PATH) ? readFileSync(SUPERGRAPH_PATH, 'utf8') : '';
  if (committed !== fresh) {
    console.error('schema/supergraph.graphql is stale: run `npm run compose` and commit the result.');
    process.exit(1);
  }
  console.log('schema/supergraph.graphql is up to date.');
} else {
  writeFileSync(SUPERGRAPH_PATH, fresh);
  console.log(`Wrote ${SUPERGRAPH_PATH}`);
}
