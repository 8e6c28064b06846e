import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { AGENCIES, ACTIVITIES, PEOPLE } from './columns.ts';
import { openSource, type RawRow } from './read.ts';
import { Reference } from './reference.ts';
import { HeaderNotFound, convertRow, findHeader } from './table.ts';
import { FIXTURES, REFERENCE } from './test-support.ts';

const reference = new Reference(REFERENCE);
const rows = (...cells: unknown[][]): RawRow[] => cells.map((c, i) => ({ number: i + 1, cells: c as RawRow['cells'] }));

async function readAll(file: string): Promise<RawRow[]> {
  const source = await openSource(path.join(FIXTURES, file));
  const all: RawRow[] = [];
  for await (const row of source.rows) all.push(row);
  return all;
}

describe('header rows', () => {
  it('Thai headers, English headers (export or GraphQL names) and aliases map to the same fields', () => {
    for (const header of [
      ['ชื่อหน่วยงาน', 'ประเภทหน่วยงาน', 'จังหวัด', 'อำเภอ', 'ภาคีเครือข่าย'],
      ['name_th', 'kind', 'province_code', 'district_code', 'sector_code'],
      ['nameTh', 'kind', 'provinceCode', 'districtCode', 'sectorCode'],
      ['ชื่อหน่วยงาน/องค์กร', 'ประเภท', 'รหัสจังหวัด', 'อำเภอ/เขต', 'เครือข่าย'],
    ]) {
      const { header: found } = findHeader(AGENCIES, rows(header));
      expect([...found.columns.values()].map((c) => c.field)).toEqual(['nameTh', 'kind', 'provinceCode', 'districtCode', 'sectorCode']);
      expect(found.warnings).toEqual([]);
    }
  });

  it('a template has a Thai and an English row; titles above are skipped; data starts after both', () => {
    const { header, rest } = findHeader(
      AGENCIES,
      rows(['ทะเบียนหน่วยงาน (ข้อมูลสังเคราะห์)'], ['ชื่อหน่วยงาน', 'ประเภทหน่วยงาน'], ['name_th', 'kind'], ['ชมรมตัวอย่าง', 'ชุมชน']),
    );
    expect(header.rows).toEqual([
      ['ชื่อหน่วยงาน', 'ประเภทหน่วยงาน'],
      ['name_th', 'kind'],
    ]);
    expect(header.lastRow).toBe(3);
    expect(rest.map((r) => r.number)).toEqual([4]);
  });

  it('unknown columns are reported once and ignored; export-only and error-file columns silently', () => {
    const { header } = findHeader(
      AGENCIES,
      rows(['ลำดับ', 'ชื่อหน่วยงาน', 'หมายเหตุ', 'kind', 'agency_id', 'แถวในไฟล์เดิม', 'rejection_reasons']),
    );
    expect(header.warnings).toEqual(['column C "หมายเหตุ" is not a agencies column: ignored']);
    expect([...header.columns.keys()]).toEqual([1, 3]);
  });

  it('a file without the required columns is refused before anything is sent', () => {
    expect(() => findHeader(AGENCIES, rows(['ชื่อหน่วยงาน', 'จังหวัด']))).toThrow(/no column for ประเภทหน่วยงาน \(kind\)/);
    expect(() => findHeader(AGENCIES, rows(['a', 'b'], ['1', '2']))).toThrow(HeaderNotFound);
  });

  it('an XLSX with a merged title, merged group labels and two header rows', async () => {
    const all = await readAll('agencies-merged-header.xlsx');
    const { header, rest } = findHeader(AGENCIES, all.slice(0, 15));
    expect(header.lastRow).toBe(4);
    expect(header.rows[0]).toEqual(['ที่', 'ชื่อหน่วยงาน', 'ชื่อภาษาอังกฤษ', 'ประเภทหน่วยงาน', 'จังหวัด', 'อำเภอ/เขต', 'ภาคีเครือข่าย', 'หมายเหตุ']);
    expect(header.warnings).toEqual(['column H "หมายเหตุ / note" is not a agencies column: ignored']);
    const converted = rest.map((r) => convertRow(AGENCIES, header, r.cells, { reference, defaultProvince: null }));
    expect(converted.map((c) => c.problems)).toEqual([[], [], [], []]);
    expect(converted[0]!.input).toEqual({
      provinceCode: 'TH-14',
      nameTh: 'ชมรมคนรักษ์ตัวอย่างบางปะหัน (ข้อมูลสังเคราะห์)',
      nameEn: 'Bang Pahan Example Club (synthetic)',
      kind: 'CIVIL_SOCIETY_GROUP',
      districtCode: '1407',
      sectorCode: 'CIVIL_SOCIETY',
    });
    // Rich text is joined; an empty English name clears it.
    expect(converted[1]!.input).toMatchObject({ nameTh: 'วิทยาลัยตัวอย่างอยุธยา (ข้อมูลสังเคราะห์)', nameEn: null, districtCode: '1401' });
  });
});

describe('rows become the mutation input', () => {
  it('names, prefixes, codes, Thai digits and stray spaces of the Ayutthaya fixture', async () => {
    const all = await readAll('agencies-ayutthaya.csv');
    const { header, rest } = findHeader(AGENCIES, all);
    const converted = rest.map((r) => convertRow(AGENCIES, header, r.cells, { reference, defaultProvince: null }));
    expect(converted.flatMap((c) => c.problems)).toEqual([]);
    expect(converted.map((c) => c.input!.provinceCode)).toEqual(Array(12).fill('TH-14'));
    expect(converted.map((c) => c.input!.districtCode)).toEqual([
      '1414',
      '1406',
      '1412',
      '1404',
      '1406',
      '1401',
      '1411',
      '1409',
      '1405',
      '1402',
      '1403',
      '1408',
    ]);
    expect(converted[1]!.input).toMatchObject({ nameTh: 'โรงเรียนวัดตัวอย่าง วิทยา (ข้อมูลสังเคราะห์)', kind: 'SCHOOL', sectorCode: 'EDUCATION' });
    expect(converted[9]!.input).toMatchObject({ nameTh: 'ชุมชนตัวอย่าง ท่าเรือ (ข้อมูลสังเคราะห์)', kind: 'COMMUNITY' });
  });

  it('every problem of a row is reported with its field, and the row is not sent', () => {
    const { header } = findHeader(AGENCIES, rows(['ชื่อหน่วยงาน', 'ประเภทหน่วยงาน', 'จังหวัด', 'อำเภอ', 'ภาคีเครือข่าย']));
    const { input, problems } = convertRow(AGENCIES, header, ['', 'สโมสร', 'พระนครศรีอยุธยา', 'บางรัก', 'กีฬา'], {
      reference,
      defaultProvince: null,
    });
    expect(input).toBeNull();
    expect(problems.map((p) => p.field)).toEqual(['nameTh', 'kind', 'districtCode', 'sectorCode']);
  });

  it('--province fills rows without a province; a column left out is not sent, an empty cell clears', () => {
    const { header } = findHeader(AGENCIES, rows(['ชื่อหน่วยงาน', 'ประเภทหน่วยงาน', 'อำเภอ', 'ชื่อภาษาอังกฤษ']));
    const { input } = convertRow(AGENCIES, header, ['ชมรมตัวอย่าง', 'ชุมชน', 'อ.อุทัย', ''], { reference, defaultProvince: 'TH-14' });
    expect(input).toEqual({ provinceCode: 'TH-14', nameTh: 'ชมรมตัวอย่าง', kind: 'COMMUNITY', districtCode: '1414', nameEn: null });
  });

  it('activities: mixed date formats, counts, virtue labels and organizer lists', async () => {
    const all = await readAll('activities-ayutthaya.xlsx');
    const { header, rest } = findHeader(ACTIVITIES, all);
    const converted = rest.map((r) => convertRow(ACTIVITIES, header, r.cells, { reference, defaultProvince: null }));
    expect(converted.flatMap((c) => c.problems)).toEqual([]);
    expect(converted.map((c) => [c.input!.startDate, c.input!.endDate])).toEqual([
      ['2021-12-16', null],
      ['2022-01-20', '2022-01-21'],
      ['2022-02-15', '2022-02-16'],
      ['2022-03-15', null],
      ['2022-04-05', null],
      ['2022-05-10', '2022-05-11'],
    ]);
    expect(converted.map((c) => c.input!.participantCount)).toEqual([40, 1200, 85, 150, 30, 300]);
    expect(converted.map((c) => c.input!.virtues)).toEqual([
      ['DISCIPLINE'],
      ['SUFFICIENCY', 'HONESTY'],
      ['VOLUNTEERISM', 'GRATITUDE'],
      ['DISCIPLINE'],
      ['DISCIPLINE'],
      ['DISCIPLINE', 'VOLUNTEERISM'],
    ]);
    expect(converted[0]!.input!.organizerNames).toEqual(['สำนักงานวัฒนธรรมจังหวัดพระนครศรีอยุธยา']);
    expect(converted[0]!.input!.kind).toBe('CONSULTATION_MEETING');
  });

  it('people: contact details are passed on as written (the API validates them)', async () => {
    const all = await readAll('people-ayutthaya.csv');
    const { header, rest } = findHeader(PEOPLE, all);
    const first = convertRow(PEOPLE, header, rest[1]!.cells, { reference, defaultProvince: null });
    expect(first.input).toMatchObject({ titleTh: 'นาง', phone: '๐๘๐ ๐๐๐ ๐๐๐๒', email: 'somsri.synthetic@example.org' });
  });
});
