import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from '@jest/globals';
import { detectEncoding, encodingArg } from './encoding.ts';
import { openSource } from './read.ts';
import { FIXTURES } from './test-support.ts';

const scratch = mkdtempSync(path.join(tmpdir(), 'encoding-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function firstRows(file: string, n = 3) {
  const source = await openSource(file);
  const rows: string[][] = [];
  for await (const row of source.rows) {
    rows.push(row.cells as string[]);
    if (rows.length === n) break;
  }
  source.close();
  return { source, rows };
}

describe('CSV encodings', () => {
  it('a Windows-874 (TIS-620) file is detected and decoded', async () => {
    const file = path.join(FIXTURES, 'agencies-windows-874.csv');
    expect(await detectEncoding(file)).toBe('windows-874');
    const { source, rows } = await firstRows(file);
    expect(source.encoding).toBe('windows-874');
    expect(rows[0]).toEqual(['ชื่อหน่วยงาน', 'ประเภทหน่วยงาน', 'จังหวัด', 'อำเภอ/เขต', 'ภาคีเครือข่าย']);
    expect(rows[1]![0]).toBe('ชมรมผู้สูงอายุตัวอย่างบางไทร (ข้อมูลสังเคราะห์)');
  });

  it('UTF-8 with a BOM: the BOM does not stick to the first header', async () => {
    const file = path.join(FIXTURES, 'agencies-ayutthaya.csv');
    expect(await detectEncoding(file)).toBe('utf-8');
    const { rows } = await firstRows(file, 1);
    expect(rows[0]![0]).toBe('ลำดับ');
  });

  it('UTF-8 without a BOM, a semicolon delimiter, and Thai after the first chunk', async () => {
    const dir = scratch;
    const file = path.join(dir, 'semicolons.csv');
    const filler = Array.from({ length: 2000 }, (_, i) => `แถว ${i};ชุมชน`).join('\n');
    writeFileSync(file, `ชื่อหน่วยงาน;ประเภทหน่วยงาน\n${filler}\nท้ายไฟล์;ชุมชน\n`);
    expect(await detectEncoding(file)).toBe('utf-8');
    const { rows } = await firstRows(file, 2);
    expect(rows).toEqual([
      ['ชื่อหน่วยงาน', 'ประเภทหน่วยงาน'],
      ['แถว 0', 'ชุมชน'],
    ]);
    // One Windows-874 byte far into an otherwise ASCII file still decides the encoding.
    const late = path.join(dir, 'late.csv');
    writeFileSync(
      late,
      Buffer.concat([Buffer.from(`name_th,kind\n${'x,y\n'.repeat(300_000)}`), iconv.encode('ชุมชน,COMMUNITY\n', 'windows874')]),
    );
    expect(await detectEncoding(late)).toBe('windows-874');
  });

  it('--encoding names', () => {
    expect(encodingArg('TIS-620')).toBe('windows-874');
    expect(encodingArg('cp874')).toBe('windows-874');
    expect(encodingArg('UTF8')).toBe('utf-8');
    expect(() => encodingArg('latin1')).toThrow(/unknown encoding/);
  });
});
