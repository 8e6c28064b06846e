import { it } from 'vitest';
import { execute, inMemory } from '@moral-registry/common';
import { loadReferenceData } from '/work/main/services/networks/src/seed/reference-data.ts';
import { createServer } from '/work/main/services/awards/src/server.ts';
it('prints', async () => {
  const server = await createServer({ config: inMemory, seed: true });
  const codes = loadReferenceData().provinces.map((p) => p.code);
  for (const reps of [['TH-14'], codes]) {
    const before = server.db.statements.count;
    const d = await execute(server, `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Province { code s: recognitionStats(fiscalYear: 2565) { total byLevel { level count } byVirtue { virtue count } byStatus { status count } } t: recognitionStats(fiscalYear: 2564) { total byLevel { level count } } recognitions(first: 2) { totalCount edges { node { fiscalYear level virtue recipient { __typename } } } } } } }`, { reps: reps.map((code) => ({ __typename: 'Province', code })) });
    console.log(reps.length, 'provinces:', server.db.statements.count - before, 'statements');
    if (reps.length === 1) console.log(JSON.stringify(d._entities[0], null, 1));
    console.log(server.db.statements.since(before).map((s) => s.replace(/\s+/g, ' ').slice(0, 120)));
  }
  await server.close();
});
