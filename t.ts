import { createServer } from './services/networks/src/server.ts';
let t = Date.now();
const s = await createServer({ config: { database: { kind: 'pglite', dataDir: null } } });
console.log('created', Date.now() - t); t = Date.now();
const r = await s.apollo.executeOperation({ query: `{ provinces { code } province(code: "TH-14") { nameTh nameEn region { code nameTh } districts { code nameTh } networks { id nameTh sector { code nameTh } } programmeYears { programmeYear fiscalYear targetBehaviourTh targetVirtues } } _entities(representations: [{__typename: "Province", code: "TH-38"}]) { ... on Province { nameTh } } }` }, { contextValue: s.createContext() });
const b: any = r.body;
console.log(Date.now() - t, JSON.stringify(b.singleResult.errors), b.singleResult.data.provinces.length, JSON.stringify(b.singleResult.data.province).slice(0, 600), JSON.stringify(b.singleResult.data._entities));
console.log('statements', s.db.statements.count);
await s.close();
