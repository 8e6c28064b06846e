import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import ExcelJS from './exceljs.ts';
import { guessDelimiter, openSource } from './read.ts';

const scratch = mkdtempSync(path.join(tmpdir(), 'xlsx-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('XLSX streaming', () => {
  it('Thai text survives chunk boundaries of the streamed sheet (exceljs #2084, fixed here)', async () => {
    const file = path.join(scratch, 'thai.xlsx');
    const names = Array.from({ length: 3000 }, (_, i) => `สื่อท้องถิ่นตัวอย่าง ${i} เครือข่ายสื่อมวลชน จังหวัดพระนครศรีอยุธยา (ข้อมูลสังเคราะห์)`);
    // Inline strings (no shared strings table): the whole sheet XML is Thai-heavy and many chunks long.
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false });
    const sheet = workbook.addWorksheet('s');
    for (const name of names) sheet.addRow([name, 'ชุมชน']).commit();
    sheet.commit();
    await workbook.commit();

    const source = await openSource(file);
    const read: string[] = [];
    for await (const row of source.rows) read.push(row.cells[0] as string);
    expect(read.filter((t) => t.includes('\uFFFD'))).toEqual([]);
    expect(read).toEqual(names);
  });

  it('only the first worksheet is read unless another is asked for', async () => {
    const file = path.join(scratch, 'two.xlsx');
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('ข้อมูล').addRow(['ชื่อหน่วยงาน']);
    workbook.addWorksheet('คำอธิบาย').addRow(['อธิบาย']);
    await workbook.xlsx.writeFile(file);
    const first = await openSource(file);
    const rows = [];
    for await (const row of first.rows) rows.push(row.cells);
    expect(rows).toEqual([['ชื่อหน่วยงาน']]);
    const second = await openSource(file, { sheet: '2' });
    const rows2 = [];
    for await (const row of second.rows) rows2.push(row.cells);
    expect(rows2).toEqual([['อธิบาย']]);
  });
});

describe('CSV delimiters', () => {
  it('the delimiter most lines use the same number of times wins', () => {
    expect(guessDelimiter('ชื่อ,ประเภท,หน่วยงานผู้จัด\nก,ข,"ค; ง; จ"\nก,ข,ค;ง')).toBe(',');
    expect(guessDelimiter('ทะเบียน (ข้อมูลสังเคราะห์)\nชื่อ;ประเภท\nก, จำกัด;ข\n')).toBe(';');
    expect(guessDelimiter('ชื่อ\tประเภท\nก\tข\n')).toBe('\t');
  });
});
