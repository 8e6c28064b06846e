/**
 * Spreadsheets in and out through the whole supergraph (docs/IMPORT.md): provincial offices' files
 * imported through the gateway with a provincial editor's token, open-data exports read back, and the
 * database compared before and after. Fixtures: tests/fixtures (made by make-fixtures.ts; every record
 * in them is marked synthetic in the data).
 */
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  AGENCIES,
  EXPORTS,
  HttpApi,
  exportData,
  formatSummary,
  importFile,
  importMutation,
  openSource,
  type Api,
  type ExportFormat,
  type ImportOptions,
  type ImportSummary,
  type RowResult,
} from '@moral-registry/spreadsheets';
import { withLanguage } from '@moral-registry/common';
import { FakeAgenciesApi } from '../packages/spreadsheets/src/test-support.ts';
import { startStack, tokenFor, type Stack } from './harness.ts';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');

let stack: Stack;
let editor: string;
let admin: string;
let work: string;
beforeAll(async () => {
  stack = await startStack();
  editor = await tokenFor(stack, 'PROVINCIAL_EDITOR', 'TH-14');
  admin = await tokenFor(stack, 'NATIONAL_ADMIN');
  work = mkdtempSync(path.join(tmpdir(), 'spreadsheets-'));
}, 240_000);
afterAll(async () => {
  await stack?.close();
  if (work) rmSync(work, { recursive: true, force: true });
}, 240_000);

/** A fixture copied to a scratch directory (the importer writes its error file next to the input). */
function copy(fixture: string): string {
  const dir = mkdtempSync(path.join(work, 'in-'));
  const file = path.join(dir, fixture);
  copyFileSync(path.join(FIXTURES, fixture), file);
  return file;
}

async function run(file: string, options: Partial<ImportOptions> = {}): Promise<ImportSummary & { log: string[] }> {
  const log: string[] = [];
  const summary = await importFile({
    file,
    type: 'agencies',
    url: stack.gatewayUrl,
    token: editor,
    progress: 'none',
    log: (line) => log.push(line),
    synthetic: true,
    ...options,
  });
  return { ...summary, log };
}

/** Every agency row and the sum of their versions: unchanged means nothing was written. */
async function agencies() {
  const [row] = await stack.services.agencies.db.rawQuery<{ n: number; v: number; audit: number }>(
    `SELECT count(*)::int AS n, coalesce(sum(version), 0)::int AS v, (SELECT count(*)::int FROM "AuditEntry") AS audit FROM "Agency"`,
  );
  return row!;
}

async function activities() {
  const [row] = await stack.services.activities.db.rawQuery<{ n: number; v: number }>(
    `SELECT count(*)::int AS n, coalesce(sum(version), 0)::int AS v FROM "Activity"`,
  );
  return row!;
}

/** The Ayutthaya agencies fixture, imported (again: it changes nothing after the first time). */
const ayutthayaAgencies = () => run(copy('agencies-ayutthaya.csv'));

/** A CSV or XLSX export read back with the importer's own reader, as header + rows. */
async function readTable(file: string): Promise<{ header: string[]; rows: Record<string, string>[] }> {
  const source = await openSource(file);
  const all: string[][] = [];
  for await (const row of source.rows) all.push(row.cells.map((c) => (c === null ? '' : String(c))));
  const [header, ...rows] = all;
  return { header: header!, rows: rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? '']))) };
}

async function exportTo(dir: string, what: (typeof EXPORTS)[number], format: ExportFormat, extra: object = {}) {
  return exportData({ what, format, fiscalYear: 2565, out: dir, url: stack.gatewayUrl, ...extra });
}

describe('importing a provincial office file', () => {
  it('a dry run writes nothing; the import creates every row; importing it again changes nothing', async () => {
    const before = await agencies();
    const dry = await run(copy('agencies-ayutthaya.csv'), { dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, written: false, rows: 12, created: 12, rejected: 0 });
    expect(await agencies()).toEqual(before);

    const first = await ayutthayaAgencies();
    expect(first).toMatchObject({ rows: 12, created: 12, updated: 0, unchanged: 0, rejected: 0, encoding: 'utf-8' });
    const after = await agencies();
    expect(after.n).toBe(before.n + 12);

    const again = await ayutthayaAgencies();
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 12, rejected: 0 });
    expect(await agencies()).toEqual(after);

    // Names were cleaned, and names and codes of provinces, districts and sectors resolved.
    const [school] = await stack.services.agencies.db.rawQuery<Record<string, string>>(
      `SELECT "nameTh", kind, "provinceCode", "districtCode", "sectorCode", "sourceKind" FROM "Agency" WHERE "nameTh" LIKE 'โรงเรียนวัดตัวอย่าง%'`,
    );
    expect(school).toEqual({
      nameTh: 'โรงเรียนวัดตัวอย่าง วิทยา (ข้อมูลสังเคราะห์)',
      kind: 'SCHOOL',
      provinceCode: 'TH-14',
      districtCode: '1406',
      sectorCode: 'EDUCATION',
      sourceKind: 'SYNTHETIC',
    });
  });

  it('a changed row updates its record (version + 1); the other rows stay unchanged', async () => {
    await ayutthayaAgencies();
    const before = await agencies();
    const file = copy('agencies-ayutthaya.csv');
    writeFileSync(file, readFileSync(file, 'utf8').replace('Example Community Radio (synthetic)', 'Example Radio Station (synthetic)'));
    const changed = await run(file);
    expect(changed).toMatchObject({ updated: 1, unchanged: 11, created: 0, rejected: 0 });
    const after = await agencies();
    expect({ n: after.n, v: after.v, audit: after.audit }).toEqual({ n: before.n, v: before.v + 1, audit: before.audit + 1 });
    await ayutthayaAgencies(); // back to the fixture's value
  });

  it('a Windows-874 CSV and an XLSX with merged header cells import', async () => {
    const legacy = await run(copy('agencies-windows-874.csv'));
    expect(legacy).toMatchObject({ encoding: 'windows-874', rows: 6, rejected: 0 });
    expect(legacy.created + legacy.unchanged).toBe(6);

    const merged = await run(copy('agencies-merged-header.xlsx'));
    expect(merged).toMatchObject({ format: 'xlsx', rows: 4, rejected: 0 });
    expect(merged.created + merged.unchanged).toBe(4);
    expect(merged.warnings).toEqual(['column H "หมายเหตุ / note" is not a agencies column: ignored']);
    const [names] = await stack.services.agencies.db.rawQuery<{ n: number }>(
      `SELECT count(*)::int AS n FROM "Agency" WHERE "nameTh" IN ('ชมรมผู้สูงอายุตัวอย่างบางไทร (ข้อมูลสังเคราะห์)', 'วิทยาลัยตัวอย่างอยุธยา (ข้อมูลสังเคราะห์)')`,
    );
    expect(names!.n).toBe(2);
  });
});

describe('rejected rows', () => {
  it('every kind of error is reported with row, column and reason; good rows are written; the error file re-imports', async () => {
    const file = copy('agencies-errors.csv');
    const result = await run(file);
    expect({ rows: result.rows, rejected: result.rejected }).toEqual({ rows: 14, rejected: 12 });
    expect(result.created + result.unchanged).toBe(2);
    const byRow = new Map(result.rejections.map((r) => [r.row, r]));
    expect([...byRow.keys()]).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 16]);
    // Found by the importer …
    expect(byRow.get(3)).toMatchObject({ column: 'ชื่อหน่วยงาน', reason: 'is required' });
    expect(byRow.get(7)).toMatchObject({ column: 'อำเภอ', reason: '"บางรัก" is not a district of พระนครศรีอยุธยา' });
    expect(byRow.get(10)).toMatchObject({ column: '(row)', reason: 'repeats row 2 (same จังหวัด + ชื่อหน่วยงาน)' });
    expect(byRow.get(16)).toMatchObject({ column: 'ประเภทหน่วยงาน', reason: 'is required' });
    // … and by the API, mapped back to the file's columns.
    expect(byRow.get(4)).toMatchObject({ column: 'ชื่อหน่วยงาน', field: 'nameTh' });
    expect(byRow.get(4)!.reason).toMatch(/Thai/);
    expect(byRow.get(11)).toMatchObject({ column: 'ชื่อหน่วยงาน', field: 'nameTh' });
    expect(byRow.get(11)!.reason).toMatch(/at most 300/);
    expect(result.log).toContain('row 7, column "อำเภอ": "บางรัก" is not a district of พระนครศรีอยุธยา');

    // The error file, imported as it is: the same rows are rejected again, and nothing else happens.
    const before = await agencies();
    const again = await run(result.errorFile!);
    expect(again).toMatchObject({ rows: 12, rejected: 11, unchanged: 1, created: 0, warnings: [] });
    expect(await agencies()).toEqual(before);
  });

  it("a Thai clerk's import (--lang th) gives every reason in Thai, the importer's and the API's, in the log and the error file", async () => {
    const file = copy('agencies-errors.csv');
    const result = await withLanguage('th', () => run(file));
    const byRow = new Map(result.rejections.map((r) => [r.row, r]));
    expect(byRow.get(3)).toMatchObject({ column: 'ชื่อหน่วยงาน', reason: 'ต้องกรอก' });
    expect(byRow.get(7)).toMatchObject({ column: 'อำเภอ', reason: '"บางรัก" ไม่ใช่อำเภอของจังหวัดพระนครศรีอยุธยา' });
    expect(byRow.get(10)).toMatchObject({ column: '(row)', reason: 'ซ้ำกับแถวที่ 2 (จังหวัด + ชื่อหน่วยงานเดียวกัน)' });
    // The API's reasons come back in Thai too (the importer sends Accept-Language: th).
    expect(byRow.get(4)).toMatchObject({ field: 'nameTh', reason: 'nameTh ต้องเขียนเป็นภาษาไทย' });
    expect(byRow.get(11)!.reason).toMatch(/^nameTh ยาวได้ไม่เกิน 300 ตัวอักษร/);
    expect(result.log).toContain('แถวที่ 7 คอลัมน์ "อำเภอ": "บางรัก" ไม่ใช่อำเภอของจังหวัดพระนครศรีอยุธยา');
    const errors = readFileSync(result.errorFile!, 'utf8');
    expect(errors).toContain('"อำเภอ: ""บางรัก"" ไม่ใช่อำเภอของจังหวัดพระนครศรีอยุธยา"');
    expect(errors).toContain(',16,ประเภทหน่วยงาน: ต้องกรอก');
    expect(errors).toContain('ชื่อหน่วยงาน: nameTh ต้องเขียนเป็นภาษาไทย');
    expect(errors).not.toMatch(/is required|is not a district/);
    expect(withLanguage('th', () => formatSummary({ ...result, dryRun: false, written: true })).join('\n')).toMatch(
      /^นำเข้า: agencies-errors\.csv .*\n {2}14 แถว: /,
    );
  });

  it('--all-or-nothing writes nothing when any row is rejected', async () => {
    const before = await agencies();
    const result = await run(copy('agencies-errors.csv'), { allOrNothing: true, token: admin });
    expect(result).toMatchObject({ written: false, rejected: 12 });
    expect(await agencies()).toEqual(before);
  });

  it("a provincial editor's file with Bangkok rows: only those are rejected (FORBIDDEN)", async () => {
    const result = await run(copy('agencies-editor-mixed.csv'));
    expect(result.created + result.unchanged).toBe(3);
    expect(result.rejections.map((r) => [r.row, r.column, r.field])).toEqual([
      [3, 'จังหวัด', 'FORBIDDEN'],
      [5, 'จังหวัด', 'FORBIDDEN'],
      [7, 'จังหวัด', 'FORBIDDEN'],
    ]);
    expect(result.rejections[0]!.reason).toMatch(/^FORBIDDEN: /);
    const [bangkok] = await stack.services.agencies.db.rawQuery<{ n: number }>(
      `SELECT count(*)::int AS n FROM "Agency" WHERE "provinceCode" = 'TH-10' AND "nameTh" LIKE '%ข้อมูลสังเคราะห์%'`,
    );
    expect(bangkok!.n).toBe(0);
  });
});

describe('exports for data.go.th', () => {
  it('people, activities and nominations import; no export file contains contact details', async () => {
    await ayutthayaAgencies();
    const people = await run(copy('people-ayutthaya.csv'), { type: 'people' });
    expect(people).toMatchObject({ rows: 3, rejected: 0 });
    const [stored] = await stack.services.agencies.db.rawQuery<{ n: number }>(
      `SELECT count(*)::int AS n FROM "Person" WHERE phone IS NOT NULL AND email LIKE '%@example.org'`,
    );
    expect(stored!.n).toBe(3);
    const acts = await run(copy('activities-ayutthaya.xlsx'), { type: 'activities' });
    expect(acts).toMatchObject({ rows: 6, rejected: 0 });
    const noms = await run(copy('recognitions-ayutthaya.csv'), { type: 'recognitions' });
    expect(noms).toMatchObject({ rows: 3, rejected: 0 });

    // Every export, every format, as a staff reader (who could read contact details) and with synthetic records.
    const dir = mkdtempSync(path.join(work, 'exports-'));
    const reader = await tokenFor(stack, 'STAFF_READER');
    for (const what of EXPORTS) {
      for (const format of ['csv', 'xlsx', 'json'] as const) {
        const result = await exportTo(dir, what, format, { includeSynthetic: true, token: reader, province: 'TH-14' });
        expect({ case: `${what} ${format}`, hasRows: result.rows > 0 }).toEqual({ case: `${what} ${format}`, hasRows: true });
      }
    }
    const texts: string[] = [];
    const columns = new Set<string>();
    for (const name of readdirSync(dir)) {
      const file = path.join(dir, name);
      if (name.endsWith('.xlsx') || name.endsWith('.csv')) {
        const { header, rows } = await readTable(file);
        header.forEach((h) => columns.add(h));
        texts.push(header.join(','), ...rows.map((r) => Object.values(r).join(',')));
      } else {
        texts.push(readFileSync(file, 'utf8'));
        const json = JSON.parse(readFileSync(file, 'utf8'));
        for (const record of Array.isArray(json) ? json : json.columns) Object.keys(record).forEach((k) => columns.add(k));
        if (!Array.isArray(json)) json.columns.forEach((c: { name: string }) => columns.add(c.name));
      }
    }
    expect(readdirSync(dir)).toHaveLength(EXPORTS.length * 4); // three formats and one catalogue record each
    const all = texts.join('\n');
    expect(all).toContain('สมชาย ตัวอย่าง'); // the recognised person's name is there …
    for (const secret of ['080-000-0001', '0800000001', '0800000002', '0800000003', '@example.org', 'หมู่ 1 ตำบลตัวอย่าง', 'ถนนตัวอย่าง']) {
      expect(all).not.toContain(secret); // … their contact details are not (Jest names the substring)
    }
    expect([...columns].filter((c) => /phone|mail|address|โทร|อีเมล|ที่อยู่/i.test(c))).toEqual([]);
  });

  it('agencies export → re-import leaves the database unchanged (CSV and XLSX); activities too', async () => {
    await ayutthayaAgencies();
    const dir = mkdtempSync(path.join(work, 'roundtrip-'));
    const csv = await exportTo(dir, 'agencies', 'csv', { includeSynthetic: true });
    const xlsx = await exportTo(dir, 'agencies', 'xlsx', { includeSynthetic: true });
    expect(readFileSync(csv.file).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const before = await agencies();
    expect(csv.rows).toBe(before.n);
    for (const file of [csv.file, xlsx.file]) {
      const again = await run(file, { token: admin, synthetic: false });
      expect(again).toMatchObject({ rows: before.n, unchanged: before.n, created: 0, updated: 0, rejected: 0, warnings: [] });
    }
    expect(await agencies()).toEqual(before);

    const activitiesBefore = await activities();
    const exported = await exportTo(dir, 'activities', 'csv', { includeSynthetic: true });
    expect(exported.rows).toBeGreaterThan(0);
    const again = await run(exported.file, { type: 'activities', token: admin, synthetic: false });
    expect(again).toMatchObject({ created: 0, updated: 0, rejected: 0, unchanged: exported.rows });
    expect(await activities()).toEqual(activitiesBefore);
  });

  it('synthetic records are left out unless asked for; the catalogue metadata says what the file is', async () => {
    await ayutthayaAgencies();
    const dir = mkdtempSync(path.join(work, 'synthetic-'));
    const real = await exportTo(dir, 'agencies', 'csv', { province: 'TH-14' });
    const { header, rows } = await readTable(real.file);
    expect(header).toEqual([
      'agency_id',
      'name_th',
      'name_en',
      'kind',
      'province_code',
      'province_name_th',
      'district_code',
      'district_name_th',
      'sector_code',
      'sector_name_th',
      'source_kind',
      'synthetic',
    ]);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.synthetic === 'false' && !r.name_th!.includes('ข้อมูลสังเคราะห์'))).toBe(true);
    expect(rows.map((r) => r.name_th)).toContain('สำนักงานวัฒนธรรมจังหวัดพระนครศรีอยุธยา');
    expect(real.syntheticExcluded).toBeGreaterThan(0);

    const withSynthetic = await exportTo(dir, 'agencies', 'json', { province: 'TH-14', includeSynthetic: true });
    const records = JSON.parse(readFileSync(withSynthetic.file, 'utf8')) as Record<string, unknown>[];
    expect(records.length).toBe(real.rows + real.syntheticExcluded);
    expect(records.find((r) => r.name_th === 'ชมรมจิตอาสาบ้านเกาะ (ข้อมูลสังเคราะห์)')).toMatchObject({ synthetic: true, district_code: '1414' });

    const metadata = JSON.parse(readFileSync(real.metadataFile, 'utf8'));
    expect(metadata).toMatchObject({
      license_id: 'Open Data Common',
      geo_coverage: 'จังหวัด',
      geo_coverage_detail: { code: 'TH-14', name_th: 'พระนครศรีอยุธยา' },
      first_year_of_data: 2565,
      last_year_of_data: 2565,
      update_frequency_unit: 'ปี',
      data_category: 'ข้อมูลสาธารณะ',
      owner_org: 'ศูนย์คุณธรรม (องค์การมหาชน)',
      row_count: real.rows,
      synthetic_included: false,
    });
    expect(metadata.title).toContain('พระนครศรีอยุธยา');
    expect(metadata.columns.map((c: { name: string }) => c.name)).toEqual(header);
    expect(metadata.resources).toEqual([
      { name: path.basename(real.file), format: 'CSV', encoding: 'UTF-8 with BOM', row_count: real.rows },
    ]);

    // The comparison counts the same records: Ayutthaya's agencies without the synthetic ones.
    const comparison = await exportTo(dir, 'comparison', 'csv');
    const table = await readTable(comparison.file);
    expect(table.rows).toHaveLength(77);
    expect(table.rows.find((r) => r.province_code === 'TH-14')!.agency_count).toBe(String(real.rows));
  });
});

describe('the fake API of the spreadsheets unit tests', () => {
  it('answers every batch of the contract cases as the agencies subgraph does', async () => {
    // packages/spreadsheets' unit tests import against FakeAgenciesApi; the same batches go to the real
    // server through the gateway, with the same editor (Ayutthaya), and the answers must agree.
    const real = new HttpApi(stack.gatewayUrl, { token: editor });
    const fake = new FakeAgenciesApi('TH-14');
    const name = `ชมรมสัญญาทดสอบ ${Date.now().toString(36)}`;
    const row = (extra: Record<string, unknown> = {}) => ({ nameTh: name, kind: 'COMMUNITY', provinceCode: 'TH-14', ...extra });
    const batches: { what: string; rows: Record<string, unknown>[]; dryRun?: boolean }[] = [
      { what: 'a new row, dry run', rows: [row()], dryRun: true },
      { what: 'the same row, written', rows: [row()] },
      { what: 'the same row again', rows: [row()] },
      { what: 'the row with a change', rows: [row({ nameEn: 'Contract test club' })] },
      { what: 'a name without Thai letters', rows: [row({ nameTh: 'Contract Club' })] },
      { what: 'a name of 301 characters', rows: [row({ nameTh: 'ก'.repeat(301) })] },
      { what: "a row of another province than the editor's", rows: [row({ provinceCode: 'TH-10' })] },
      {
        what: 'good and bad rows in one batch',
        rows: [row({ nameTh: `${name} ๒` }), row({ nameTh: 'Latin only' }), row({ provinceCode: 'TH-50' })],
      },
    ];
    const answer = async (api: Api, batch: (typeof batches)[number]) => {
      const response = await api.request<{ importAgencies: { rows: RowResult[] } }>(importMutation(AGENCIES), {
        input: { rows: batch.rows, dryRun: batch.dryRun ?? false, source: { kind: 'SYNTHETIC', label: 'contract test' } },
      });
      // Ids differ between the two; whether there is one does not.
      const rows = response.data?.importAgencies.rows.map((r) => ({ ...r, id: r.id === null ? null : 'an id' }));
      return { batch: batch.what, rows, errors: response.errors };
    };
    const fromReal = [];
    const fromFake = [];
    for (const batch of batches) {
      fromReal.push(await answer(real, batch));
      fromFake.push(await answer(fake, batch));
    }
    expect(fromFake).toEqual(fromReal);
  });
});
