import { createServer } from './services/agencies/src/server.ts';
import { networkId } from './packages/common/src/demo/index.ts';
const s = await createServer({ config: { database: { kind: 'pglite', dataDir: null } } });
const m = s.db.statements.count;
const r = await s.apollo.executeOperation(
  {
    query: `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Province { code agencyStats { total bySector { sector { code } count } } agencies(first: 3) { totalCount pageInfo { hasNextPage endCursor } edges { node { nameTh sector { code } source { kind synthetic } } } } } ... on Network { id agencyCount } } agencies(search: "มหาวิทยาลัย") { totalCount edges { node { nameTh nameEn people { fullNameTh } } } } }`,
    variables: {
      reps: [
        { __typename: 'Province', code: 'TH-14' },
        { __typename: 'Province', code: 'TH-10' },
        { __typename: 'Network', id: networkId('TH-14', 'GOVERNMENT') },
        { __typename: 'Network', id: networkId('TH-14', 'EDUCATION') },
      ],
    },
  },
  { contextValue: s.createContext() },
);
const b: any = r.body;
console.log(JSON.stringify(b.singleResult, null, 1).slice(0, 3000));
console.log('statements', s.db.statements.count - m, s.db.statements.since(m));
await s.close();
