import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { ApiUnavailable } from './api.ts';
import { importFile, type ImportOptions } from './import.ts';
import { FIXTURES, FakeAgenciesApi } from './test-support.ts';

const scratch = mkdtempSync(path.join(tmpdir(), 'import-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const workDir = () => mkdtempSync(path.join(scratch, 'run-'));
function copy(fixture: string): string {
  const file = path.join(workDir(), fixture);
  copyFileSync(path.join(FIXTURES, fixture), file);
  return file;
}
const run = (api: FakeAgenciesApi, file: string, extra: Partial<ImportOptions> = {}) => {
  const log: string[] = [];
  return importFile({ file, type: 'agencies', api, progress: 'none', log: (l) => log.push(l), ...extra }).then((summary) => ({
    summary,
    log,
  }));
};

describe('rejected rows and the error file', () => {
  it('every bad row is reported with its row number, column and reason; good rows go through', async () => {
    const api = new FakeAgenciesApi();
    const file = copy('agencies-errors.csv');
    const { summary, log } = await run(api, file);
    expect({ rows: summary.rows, created: summary.created, rejected: summary.rejected }).toEqual({ rows: 14, created: 2, rejected: 12 });
    const byRow = Object.fromEntries(summary.rejections.map((r) => [r.row, `${r.column}: ${r.reason}`]));
    expect(Object.keys(byRow).map(Number)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 16]);
    expect(byRow[3]).toBe('ชื่อหน่วยงาน: is required');
    expect(byRow[4]).toBe('ชื่อหน่วยงาน: nameTh must be written in Thai');
    expect(byRow[5]).toMatch(/^ประเภทหน่วยงาน: "สโมสร" is not one of GOVERNMENT_OFFICE/);
    expect(byRow[6]).toMatch(/^จังหวัด: "เมืองลับแล" is not a province/);
    expect(byRow[7]).toBe('อำเภอ: "บางรัก" is not a district of พระนครศรีอยุธยา');
    expect(byRow[8]).toBe('อำเภอ: district 1002 is in กรุงเทพมหานคร, not in พระนครศรีอยุธยา');
    expect(byRow[9]).toMatch(/^ภาคีเครือข่าย: "กีฬา" is not a sector/);
    expect(byRow[10]).toBe('(row): repeats row 2 (same จังหวัด + ชื่อหน่วยงาน)');
    expect(byRow[13]).toBe('จังหวัด: TH-99 is not one of the 77 provinces');
    expect(log).toContain('row 7, column "อำเภอ": "บางรัก" is not a district of พระนครศรีอยุธยา');
    expect(summary.errorFile).toBe(path.join(path.dirname(file), 'agencies-errors.errors.csv'));
  });

  it('the error file keeps the input columns, can be imported as is, and once fixed imports', async () => {
    const api = new FakeAgenciesApi();
    const file = copy('agencies-errors.csv');
    await run(api, file);
    const errorFile = path.join(path.dirname(file), 'agencies-errors.errors.csv');
    const text = readFileSync(errorFile, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.slice(1).trimEnd().split(/\r?\n/);
    expect(lines[0]).toBe('ชื่อหน่วยงาน,ประเภทหน่วยงาน,จังหวัด,อำเภอ,ภาคีเครือข่าย,แถวในไฟล์เดิม,เหตุที่ถูกปฏิเสธ');
    expect(lines[1]).toBe(',ชุมชน,พระนครศรีอยุธยา,อุทัย,ชุมชน,3,ชื่อหน่วยงาน: is required');

    // Imported again unchanged: the same rows are rejected, the extra columns raise no warning.
    const again = await run(api, errorFile);
    expect(again.summary.warnings).toEqual([]);
    // The repeat of row 2 is alone in this file, so it goes through: the same record, unchanged.
    expect(again.summary).toMatchObject({ rows: 12, rejected: 11, created: 0, unchanged: 1 });

    // Fixed: the district of another province replaced, everything else left as it is.
    writeFileSync(errorFile, text.replace(',พระนครศรีอยุธยา,บางรัก,ชุมชน,', ',พระนครศรีอยุธยา,อุทัย,ชุมชน,'));
    const fixed = await run(api, errorFile);
    expect(fixed.summary.created).toBe(1);
    expect(fixed.summary.rejected).toBe(10);
  });

  it('a file with nothing rejected leaves no error file (a stale one is removed)', async () => {
    const file = copy('agencies-ayutthaya.csv');
    const errorFile = path.join(path.dirname(file), 'agencies-ayutthaya.errors.csv');
    writeFileSync(errorFile, 'old');
    const { summary } = await run(new FakeAgenciesApi(), file);
    expect(summary.rejected).toBe(0);
    expect(summary.errorFile).toBeNull();
    expect(existsSync(errorFile)).toBe(false);
  });

  it('rows of another province are FORBIDDEN for a provincial editor, reported on the province column', async () => {
    const { summary } = await run(new FakeAgenciesApi('TH-14'), copy('agencies-editor-mixed.csv'));
    expect(summary.created).toBe(3);
    expect(summary.rejections.map((r) => [r.row, r.column, r.reason.split(':')[0]])).toEqual([
      [3, 'จังหวัด', 'FORBIDDEN'],
      [5, 'จังหวัด', 'FORBIDDEN'],
      [7, 'จังหวัด', 'FORBIDDEN'],
    ]);
  });
});

describe('batches, dry runs, all or nothing', () => {
  function bigFile(rows: number, badAt: number): string {
    const lines = ['ชื่อหน่วยงาน,ประเภทหน่วยงาน,อำเภอ'];
    for (let i = 2; i <= rows + 1; i++) lines.push(i === badAt ? `Club ${i},ชุมชน,อุทัย` : `ชุมชนตัวอย่างที่ ${i} (ข้อมูลสังเคราะห์),ชุมชน,อุทัย`);
    const file = path.join(workDir(), 'big.csv');
    writeFileSync(file, lines.join('\n'));
    return file;
  }

  it('rows go in batches of at most 500 with the source label, and row numbers survive the batching', async () => {
    const api = new FakeAgenciesApi();
    const { summary } = await run(api, bigFile(1203, 1001), { province: 'จังหวัดพระนครศรีอยุธยา', synthetic: true });
    expect(api.batches.map((b) => b.size)).toEqual([500, 500, 203]);
    expect(api.batches[0]!.source).toEqual({ kind: 'SYNTHETIC', label: 'big.csv' });
    expect(summary.rejections).toEqual([{ row: 1001, column: 'ชื่อหน่วยงาน', field: 'nameTh', reason: 'nameTh must be written in Thai' }]);
    expect(summary.created).toBe(1202);
    expect([...api.store.values()][0]!.values.provinceCode).toBe('TH-14');
  });

  it('a dry run reports what would happen and writes nothing', async () => {
    const api = new FakeAgenciesApi();
    const { summary } = await run(api, copy('agencies-ayutthaya.csv'), { dryRun: true });
    expect(summary).toMatchObject({ dryRun: true, written: false, created: 12, rejected: 0 });
    expect(api.batches.every((b) => b.dryRun)).toBe(true);
    expect(api.store.size).toBe(0);
  });

  it('--all-or-nothing writes nothing when a row is rejected, everything when none is', async () => {
    const api = new FakeAgenciesApi();
    const bad = await run(api, bigFile(20, 7), { allOrNothing: true, province: 'TH-14' });
    expect(bad.summary).toMatchObject({ written: false, rejected: 1 });
    expect(api.store.size).toBe(0);
    const good = await run(api, copy('agencies-ayutthaya.csv'), { allOrNothing: true });
    expect(good.summary).toMatchObject({ written: true, created: 12 });
    expect(api.store.size).toBe(12);
  });

  it('re-importing the same file changes nothing; a changed row updates its record', async () => {
    const api = new FakeAgenciesApi();
    const file = copy('agencies-ayutthaya.csv');
    await run(api, file);
    const again = await run(api, file);
    expect(again.summary).toMatchObject({ created: 0, updated: 0, unchanged: 12 });
    writeFileSync(file, readFileSync(file, 'utf8').replace('Example Community Radio (synthetic)', 'Example Radio Station (synthetic)'));
    const changed = await run(api, file);
    expect(changed.summary).toMatchObject({ updated: 1, unchanged: 11 });
  });

  it('an API without the mutation is a clear error, not twelve rejected rows', async () => {
    const api = new FakeAgenciesApi();
    api.missingMutation = true;
    await expect(run(api, copy('agencies-ayutthaya.csv'))).rejects.toThrow(ApiUnavailable);
  });
});
