/**
 * `npm run import -- --template agencies`: an XLSX and a CSV template with both header rows (Thai,
 * then English). The XLSX has a second sheet that explains every column and its accepted values; the
 * importer reads only the first sheet.
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { csvWriter } from './csv.ts';
import ExcelJS from './exceljs.ts';
import { TYPES, type ColumnSpec, type ImportTypeName } from './columns.ts';

function acceptedValues(column: ColumnSpec): string {
  const v = column.value;
  if (v.kind === 'enum' || v.kind === 'enumList')
    return Object.entries(v.labels)
      .map(([code, names]) => (names.length ? `${code} = ${names.join(' / ')}` : code))
      .join('\n');
  if (v.kind === 'date') return '16/12/2564, 2021-12-16, 16 ธ.ค. 2564, Excel date';
  if (v.kind === 'province') return 'พระนครศรีอยุธยา, จังหวัดพระนครศรีอยุธยา, จ.พระนครศรีอยุธยา, TH-14, 14, ๑๔';
  if (v.kind === 'district') return 'อุทัย, อำเภออุทัย, อ.อุทัย, 1414; เขตพระนคร (Bangkok)';
  if (v.kind === 'sector')
    return 'GOVERNMENT, RELIGION, EDUCATION, MEDIA, BUSINESS, CIVIL_SOCIETY, COMMUNITY_ORGANIZATION, COMMUNITY, AGRICULTURE (or the Thai label)';
  return '';
}

export async function writeTemplates(typeName: ImportTypeName, dir: string): Promise<string[]> {
  const type = TYPES[typeName];
  await mkdir(dir, { recursive: true });
  const base = path.join(dir, `${type.name}-template`);
  const thai = type.columns.map((c) => c.th);
  const english = type.columns.map((c) => c.en);

  const csv = csvWriter({ bom: true });
  const out = createWriteStream(`${base}.csv`);
  csv.pipe(out);
  csv.write(thai);
  csv.write(english);
  csv.end();
  await finished(out);

  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'ทะเบียนเครือข่ายคุณธรรม';
  const sheet = workbook.addWorksheet('ข้อมูล', { views: [{ state: 'frozen', ySplit: 2 }] });
  sheet.addRow(thai).font = { bold: true };
  sheet.addRow(english).font = { italic: true, color: { argb: 'FF666666' } };
  type.columns.forEach((c, i) => {
    const column = sheet.getColumn(i + 1);
    column.width = Math.max(16, c.th.length + 6);
    // Text columns stay text, so codes such as 14 or 0812345678 keep their leading zeros.
    if (c.value.kind !== 'date' && c.value.kind !== 'count') column.numFmt = '@';
  });
  const help = workbook.addWorksheet('คำอธิบาย (Help)');
  help.addRow(['หัวคอลัมน์ (ไทย)', 'column (English)', 'จำเป็น / required', 'คำอธิบาย', 'description', 'ค่าที่รับได้ / accepted values']).font = {
    bold: true,
  };
  for (const c of type.columns) {
    help.addRow([c.th, c.en, c.required ? 'จำเป็น / required' : '', c.descriptionTh, c.descriptionEn, acceptedValues(c)]);
  }
  help.columns.forEach((c) => (c.width = 32));
  await workbook.xlsx.writeFile(`${base}.xlsx`);
  return [`${base}.xlsx`, `${base}.csv`];
}
