/**
 * The data.go.th (CKAN) catalogue record of an export: the fields the national open-data catalogue
 * asks for (title, description, licence, geographic coverage, first and last year of data, update
 * frequency, data category, source organization, columns), with data.go.th's field names and Thai
 * code-list values, so the publisher can copy them into the catalogue form as they are.
 */
import type { ExportFormat, ExportWhat } from './export.ts';

/** One file of the dataset (data.go.th: a resource). */
export interface Resource {
  name: string;
  format: string;
  encoding: string;
  row_count: number;
}

export interface ExportColumn {
  name: string;
  type: 'string' | 'integer' | 'date' | 'boolean';
  descriptionTh: string;
  descriptionEn: string;
}

const TITLES: Record<ExportWhat, { th: string; en: string; notesTh: string; notesEn: string; dataType: string }> = {
  provinces: {
    th: 'จังหวัดในโครงการจังหวัดคุณธรรม',
    en: 'Provinces of the moral-province programme',
    notesTh: 'รายชื่อจังหวัด ภาค จำนวนอำเภอ และปีที่ของการขับเคลื่อนจังหวัดคุณธรรมพร้อมพฤติกรรมเป้าหมาย',
    notesEn: "Provinces, regions, district counts, and each province's moral-province programme year and target behaviour",
    dataType: 'ข้อมูลระเบียน',
  },
  agencies: {
    th: 'หน่วยงานภาคีเครือข่ายคุณธรรม',
    en: 'Moral-network member agencies',
    notesTh: 'หน่วยงานและองค์กรในภาคีเครือข่ายคุณธรรมของแต่ละจังหวัด จำแนกตามภาคส่วน ประเภท และอำเภอ',
    notesEn: "Agencies and organizations of each province's moral-network chapters, by sector, kind and district",
    dataType: 'ข้อมูลระเบียน',
  },
  activities: {
    th: 'กิจกรรมส่งเสริมคุณธรรม',
    en: 'Moral-promotion activities',
    notesTh: 'กิจกรรมของเครือข่ายคุณธรรม: ประเภท วันที่ สถานที่ จำนวนผู้เข้าร่วม คุณธรรมที่ส่งเสริม และหน่วยงานผู้จัด',
    notesEn: 'Activities of the moral networks: kind, dates, venue, participants, virtues promoted and organizers',
    dataType: 'ข้อมูลระเบียน',
  },
  recognitions: {
    th: 'การประเมินและยกย่องเชิดชูคุณธรรม',
    en: 'Moral assessments, honours and awards',
    notesTh: 'ผลการประเมินหน่วยคุณธรรม การยกย่องเชิดชูเกียรติ และรางวัลคุณธรรม พร้อมสถานะการรับรอง',
    notesEn: 'Moral-unit assessments, virtue honours and moral awards, with their certification status',
    dataType: 'ข้อมูลระเบียน',
  },
  comparison: {
    th: 'เปรียบเทียบผลการขับเคลื่อนจังหวัดคุณธรรมรายจังหวัด',
    en: 'Moral-province figures by province',
    notesTh: 'จำนวนหน่วยงานภาคีเครือข่าย กิจกรรม ผู้เข้าร่วม และการยกย่อง ของแต่ละจังหวัดในปีงบประมาณ',
    notesEn: "Each province's agencies, activities, participants and recognitions in the fiscal year",
    dataType: 'ข้อมูลรวม (สถิติ)',
  },
};

const FORMATS: Record<ExportFormat, string> = { csv: 'CSV', xlsx: 'XLSX', json: 'JSON' };

/** The Thai government fiscal year (BE) of today. */
function currentFiscalYear(now = new Date()): number {
  return now.getUTCFullYear() + 543 + (now.getUTCMonth() >= 9 ? 1 : 0);
}

export function catalogueMetadata(input: {
  what: ExportWhat;
  format: ExportFormat;
  file: string;
  /** The dataset's files in other formats, already written. */
  otherResources?: Resource[];
  province: { code: string; nameTh: string } | null;
  fiscalYear: number | null;
  years: number[];
  rows: number;
  columns: ExportColumn[];
  includeSynthetic: boolean;
}) {
  const t = TITLES[input.what];
  const where = input.province ? ` จังหวัด${input.province.nameTh}` : '';
  const whereEn = input.province ? ` (${input.province.code})` : '';
  const year = input.fiscalYear ? ` ปีงบประมาณ ${input.fiscalYear}` : '';
  const yearEn = input.fiscalYear ? `, fiscal year ${input.fiscalYear} BE` : '';
  const resource: Resource = {
    name: input.file,
    format: FORMATS[input.format],
    encoding: input.format === 'csv' ? 'UTF-8 with BOM' : 'UTF-8',
    row_count: input.rows,
  };
  const resources = [...(input.otherResources ?? []), resource];
  const years = input.years.length ? input.years : [input.fiscalYear ?? currentFiscalYear()];
  const synthetic = input.includeSynthetic
    ? {
        th: ' รวมข้อมูลสังเคราะห์ (คอลัมน์ synthetic = true) สำหรับการทดสอบ ไม่ใช่ข้อมูลจริง',
        en: ' Includes synthetic demo records (synthetic = true), which are not real.',
      }
    : { th: ' ไม่รวมข้อมูลสังเคราะห์', en: ' Synthetic demo records are excluded.' };
  return {
    title: `${t.th}${where}${year}`,
    title_en: `${t.en}${whereEn}${yearEn}`,
    name: ['moral-registry', input.what, input.province?.code.toLowerCase(), input.fiscalYear ? `fy${input.fiscalYear}` : null]
      .filter(Boolean)
      .join('-'),
    notes: `${t.notesTh}${synthetic.th} ไม่มีข้อมูลติดต่อของบุคคล (เบอร์โทรศัพท์ อีเมล ที่อยู่)`,
    notes_en: `${t.notesEn}.${synthetic.en} No personal contact data (no phone, e-mail or address).`,
    description: { th: `${t.notesTh}${synthetic.th}`, en: `${t.notesEn}.${synthetic.en}` },
    owner_org: 'ศูนย์คุณธรรม (องค์การมหาชน)',
    source_organization: { th: 'ศูนย์คุณธรรม (องค์การมหาชน)', en: 'Moral Promotion Center (Public Organization)' },
    data_source: 'ทะเบียนเครือข่ายคุณธรรม (GraphQL API)',
    license_id: 'Open Data Common',
    license_title: 'Open Data Common',
    data_type: t.dataType,
    data_category: 'ข้อมูลสาธารณะ',
    data_classification: 'ข้อมูลสาธารณะ',
    geo_coverage: input.province ? 'จังหวัด' : 'ประเทศ',
    geo_coverage_detail: input.province
      ? { code: input.province.code, name_th: input.province.nameTh }
      : { code: 'TH', name_th: 'ประเทศไทย' },
    first_year_of_data: Math.min(...years),
    last_year_of_data: Math.max(...years),
    year_system: 'ปีงบประมาณ พ.ศ. (Thai fiscal year, Buddhist Era)',
    update_frequency_unit: 'ปี',
    update_frequency_interval: 1,
    data_language: ['ไทย', 'อังกฤษ'],
    data_format: [...new Set(resources.map((r) => r.format))].join(', '),
    tag_string: ['คุณธรรม', 'จังหวัดคุณธรรม', 'เครือข่ายคุณธรรม', 'ศูนย์คุณธรรม'].join(','),
    created: new Date().toISOString(),
    resources,
    row_count: input.rows,
    synthetic_included: input.includeSynthetic,
    personal_data: 'no contact details (phone, e-mail, address are never exported)',
    columns: input.columns.map((c) => ({ name: c.name, type: c.type, description_th: c.descriptionTh, description_en: c.descriptionEn })),
  };
}
