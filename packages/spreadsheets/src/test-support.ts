/**
 * For the package's unit tests: a slice of the reference data (Bangkok, Ayutthaya, Chiang Mai and
 * the nine sectors, as the networks subgraph serves them) and an in-memory API that follows the
 * batch-import contract of docs/IMPORT.md for agencies. End-to-end tests use the real stack.
 */
import path from 'node:path';
import { SECTORS } from '@moral-registry/common/demo';
import type { Api, GraphQLDocument, GraphQLResponse } from './api.ts';
import type { ReferenceData } from './reference.ts';

export const FIXTURES = path.resolve(import.meta.dirname, '../../../tests/fixtures');

const AYUTTHAYA_DISTRICTS = [
  'พระนครศรีอยุธยา',
  'ท่าเรือ',
  'นครหลวง',
  'บางไทร',
  'บางบาล',
  'บางปะอิน',
  'บางปะหัน',
  'ผักไห่',
  'ภาชี',
  'ลาดบัวหลวง',
  'วังน้อย',
  'เสนา',
  'บางซ้าย',
  'อุทัย',
  'มหาราช',
  'บ้านแพรก',
];

export const REFERENCE: ReferenceData = {
  provinces: [
    {
      code: 'TH-10',
      nameTh: 'กรุงเทพมหานคร',
      nameEn: 'Krung Thep Maha Nakhon',
      districts: [
        { code: '1001', nameTh: 'พระนคร', nameEn: null },
        { code: '1002', nameTh: 'ดุสิต', nameEn: null },
        { code: '1004', nameTh: 'บางรัก', nameEn: null },
      ],
    },
    {
      code: 'TH-14',
      nameTh: 'พระนครศรีอยุธยา',
      nameEn: 'Phra Nakhon Si Ayutthaya',
      districts: AYUTTHAYA_DISTRICTS.map((nameTh, i) => ({ code: `14${String(i + 1).padStart(2, '0')}`, nameTh, nameEn: null })),
    },
    {
      code: 'TH-50',
      nameTh: 'เชียงใหม่',
      nameEn: 'Chiang Mai',
      districts: [{ code: '5001', nameTh: 'เมืองเชียงใหม่', nameEn: null }],
    },
  ],
  networkSectors: SECTORS.map((s) => ({ code: s.code, nameTh: s.nameTh, nameEn: s.nameEn })),
};

interface StoredAgency {
  id: string;
  version: number;
  values: Record<string, unknown>;
}

/**
 * The agencies batch import in memory: rows without a Thai letter in nameTh are rejected (nameTh),
 * rows of another province than the editor's are FORBIDDEN, the rest are matched by province + name.
 * tests/spreadsheets.test.ts sends the same batches to it and to the agencies subgraph and compares the
 * answers, so that the two stay in step.
 */
export class FakeAgenciesApi implements Api {
  readonly url = 'fake://api';
  readonly store = new Map<string, StoredAgency>();
  readonly batches: { size: number; dryRun: boolean; source: unknown }[] = [];
  missingMutation = false;

  constructor(private readonly editorProvince: string | null = null) {}

  async request<Data>(
    document: GraphQLDocument<Data, Record<string, any>>,
    variables: Record<string, any> = {},
  ): Promise<GraphQLResponse<Data>> {
    const query = String(document);
    if (query.includes('SpreadsheetReference')) return { data: REFERENCE as Data };
    if (!query.includes('importAgencies')) throw new Error(`unexpected query ${query}`);
    if (this.missingMutation) {
      return {
        errors: [{ message: 'Cannot query field "importAgencies" on type "Mutation".', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }],
      };
    }
    const { rows, dryRun, source } = variables.input as { rows: Record<string, unknown>[]; dryRun: boolean; source: unknown };
    if (rows.length > 500) throw new Error('a batch holds at most 500 rows');
    this.batches.push({ size: rows.length, dryRun, source });
    const results = rows.map((row, index) => {
      if (!/[\u0E01-\u0E2E]/.test(String(row.nameTh))) {
        return { index, status: 'REJECTED', id: null, problems: [{ field: 'nameTh', message: 'nameTh must be written in Thai' }] };
      }
      if (String(row.nameTh).length > 300) {
        const message = `nameTh must be at most 300 characters (got ${String(row.nameTh).length})`;
        return { index, status: 'REJECTED', id: null, problems: [{ field: 'nameTh', message }] };
      }
      if (this.editorProvince && row.provinceCode !== this.editorProvince) {
        return {
          index,
          status: 'REJECTED',
          id: null,
          problems: [
            { field: 'FORBIDDEN', message: `A provincial editor of ${this.editorProvince} may not import agencies in ${row.provinceCode}` },
          ],
        };
      }
      const key = `${row.provinceCode}|${row.nameTh}`;
      const found = this.store.get(key);
      if (found && Object.entries(row).every(([k, v]) => found.values[k] === v || JSON.stringify(found.values[k]) === JSON.stringify(v))) {
        return { index, status: 'UNCHANGED', id: found.id, problems: [] };
      }
      if (dryRun) return { index, status: found ? 'UPDATED' : 'CREATED', id: found?.id ?? null, problems: [] };
      if (found) Object.assign(found, { version: found.version + 1, values: { ...found.values, ...row } });
      const written = found ?? { id: `agency-${this.store.size + 1}`, version: 1, values: { ...row } };
      this.store.set(key, written);
      return { index, status: found ? 'UPDATED' : 'CREATED', id: written.id, problems: [] };
    });
    return { data: { importAgencies: { rows: results } } as Data };
  }
}
