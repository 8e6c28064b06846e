/**
 * `npm run export`: open-data files for data.go.th from the API. English snake_case column names
 * without spaces, CSV in UTF-8 with a BOM (so Excel shows Thai), XLSX with the same columns, JSON (an
 * array of objects), and `<name>.metadata.json` with the catalogue fields.
 *
 * What is never exported: people's contact details (the queries do not ask for phone, email or
 * address), and synthetic records unless `includeSynthetic` (every record's `source.synthetic`).
 * The comparison is computed here from the exported records, so the same exclusion holds for it.
 */
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { csvWriter } from './csv.ts';
import ExcelJS from './exceljs.ts';
import { HttpApi, credentialsFrom, dataOf, defaultGatewayUrl, type Api } from './api.ts';
import { catalogueMetadata, type ExportColumn, type Resource } from './metadata.ts';
import { REFERENCE_QUERY, Reference, type ReferenceData } from './reference.ts';
import { UsageError } from './api.ts';

export const EXPORTS = ['provinces', 'agencies', 'activities', 'recognitions', 'comparison'] as const;
export type ExportWhat = (typeof EXPORTS)[number];
export type ExportFormat = 'csv' | 'xlsx' | 'json';

export interface ExportOptions {
  what: ExportWhat;
  format: ExportFormat;
  /** Buddhist Era fiscal year: required for activities, recognitions and comparison. */
  fiscalYear?: number | null;
  /** Only this province (code or Thai name). */
  province?: string | null;
  includeSynthetic?: boolean;
  /** Output directory (default `exports`). */
  out?: string;
  url?: string;
  token?: string | null;
  apiKey?: string | null;
  api?: Api;
}

export interface ExportResult {
  file: string;
  metadataFile: string;
  rows: number;
  /** Records left out because they are synthetic. */
  syntheticExcluded: number;
  columns: string[];
}

type Row = Record<string, string | number | boolean | null>;

const PAGE = 100;

interface Page<Node> {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { node: Node }[];
}

/** Every node of a connection, page by page (at most 100 per request, the API's limit). */
async function* paged<Node>(
  api: Api,
  query: string,
  field: string,
  variables: Record<string, unknown>,
  what: string,
): AsyncGenerator<Node> {
  let after: string | null = null;
  for (;;) {
    const data: Record<string, Page<Node>> = dataOf(await api.request<Record<string, Page<Node>>>(query, { ...variables, after }), what);
    const page = data[field]!;
    for (const edge of page.edges) yield edge.node;
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return;
    after = page.pageInfo.endCursor;
  }
}

interface Source {
  source: { kind: string; synthetic: boolean };
}

const AGENCIES_QUERY = /* GraphQL */ `
  query ExportAgencies($provinceCode: ID, $first: Int, $after: String) {
    agencies(provinceCode: $provinceCode, first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          nameTh
          nameEn
          kind
          province {
            code
            nameTh
          }
          district {
            code
            nameTh
          }
          sector {
            code
            nameTh
          }
          source {
            kind
            synthetic
          }
        }
      }
    }
  }
`;
interface AgencyNode extends Source {
  id: string;
  nameTh: string;
  nameEn: string | null;
  kind: string;
  province: { code: string; nameTh: string } | null;
  district: { code: string; nameTh: string } | null;
  sector: { code: string; nameTh: string } | null;
}

const ACTIVITIES_QUERY = /* GraphQL */ `
  query ExportActivities($provinceCode: ID, $fiscalYear: Int, $first: Int, $after: String) {
    activities(provinceCode: $provinceCode, fiscalYear: $fiscalYear, first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          titleTh
          titleEn
          kind
          startDate
          endDate
          fiscalYear
          province {
            code
            nameTh
          }
          district {
            code
            nameTh
          }
          venue
          participantCount
          participatingAgencyCount
          virtues
          organizers {
            nameTh
          }
          source {
            kind
            synthetic
          }
        }
      }
    }
  }
`;
interface ActivityNode extends Source {
  id: string;
  titleTh: string;
  titleEn: string | null;
  kind: string;
  startDate: string;
  endDate: string;
  fiscalYear: number;
  province: { code: string; nameTh: string } | null;
  district: { code: string; nameTh: string } | null;
  venue: string | null;
  participantCount: number;
  participatingAgencyCount: number;
  virtues: string[];
  organizers: { nameTh: string }[];
}

const RECOGNITIONS_QUERY = /* GraphQL */ `
  query ExportRecognitions($provinceCode: ID, $fiscalYear: Int, $first: Int, $after: String) {
    recognitions(provinceCode: $provinceCode, fiscalYear: $fiscalYear, first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          programme
          level
          virtue
          scope
          fiscalYear
          status
          titleTh
          province {
            code
            nameTh
          }
          recipient {
            __typename
            ... on Agency {
              nameTh
            }
            ... on Person {
              fullNameTh
            }
            ... on Province {
              code
              nameTh
            }
          }
          source {
            kind
            synthetic
          }
        }
      }
    }
  }
`;
interface RecognitionNode extends Source {
  id: string;
  programme: string;
  level: string | null;
  virtue: string | null;
  scope: string;
  fiscalYear: number;
  status: string;
  titleTh: string | null;
  province: { code: string; nameTh: string } | null;
  recipient:
    | { __typename: 'Agency'; nameTh: string }
    | { __typename: 'Person'; fullNameTh: string }
    | { __typename: 'Province'; code: string; nameTh: string };
}

const PROVINCES_QUERY = /* GraphQL */ `
  query ExportProvinces {
    provinces {
      code
      dopaCode
      nameTh
      nameEn
      region {
        code
        nameTh
      }
      districts {
        code
      }
      programmeYears {
        programmeYear
        fiscalYear
        targetBehaviourTh
        targetVirtues
        source {
          kind
          synthetic
        }
      }
    }
  }
`;
interface ProvinceNode {
  code: string;
  dopaCode: string;
  nameTh: string;
  nameEn: string | null;
  region: { code: string; nameTh: string };
  districts: { code: string }[];
  programmeYears: ({ programmeYear: number; fiscalYear: number; targetBehaviourTh: string; targetVirtues: string[] } & Source)[];
}

const col = (name: string, type: ExportColumn['type'], th: string, en: string): ExportColumn => ({
  name,
  type,
  descriptionTh: th,
  descriptionEn: en,
});
const SOURCE_COLUMNS = [
  col('source_kind', 'string', 'ที่มาของข้อมูล (SOURCE_DOCUMENT, IMPORT, USER_ENTRY, SYNTHETIC)', 'Where the record comes from'),
  col(
    'synthetic',
    'boolean',
    'ข้อมูลสังเคราะห์ (true เฉพาะเมื่อส่งออกด้วย --include-synthetic)',
    'Synthetic demo record (true only with --include-synthetic)',
  ),
];

export const COLUMNS: Record<ExportWhat, ExportColumn[]> = {
  provinces: [
    col('province_code', 'string', 'รหัสจังหวัด ISO 3166-2:TH', 'ISO 3166-2:TH province code'),
    col('dopa_code', 'string', 'รหัสจังหวัดของกรมการปกครอง 2 หลัก', 'Two-digit DOPA code'),
    col('name_th', 'string', 'ชื่อจังหวัด', 'Thai name'),
    col('name_en', 'string', 'ชื่อจังหวัดภาษาอังกฤษ', 'English name'),
    col('region_code', 'string', 'รหัสภาค (สำนักงานสถิติแห่งชาติ)', 'NSO region code'),
    col('region_name_th', 'string', 'ชื่อภาค', 'NSO region name (Thai)'),
    col('district_count', 'integer', 'จำนวนอำเภอ/เขต', 'Number of districts'),
    col('fiscal_year', 'integer', 'ปีงบประมาณ (พ.ศ.)', 'Fiscal year (BE)'),
    col(
      'programme_year',
      'integer',
      'ปีที่ของการขับเคลื่อนจังหวัดคุณธรรมในปีงบประมาณนั้น',
      "Year of the province's moral-province programme in that fiscal year",
    ),
    col('target_behaviour_th', 'string', 'พฤติกรรมเป้าหมาย', 'Target behaviour (Thai)'),
    col('target_virtues', 'string', 'คุณธรรมเป้าหมาย (คั่นด้วย ;)', 'Target virtues, separated by ;'),
  ],
  agencies: [
    col('agency_id', 'string', 'รหัสหน่วยงานในทะเบียน', 'Registry id'),
    col('name_th', 'string', 'ชื่อหน่วยงาน', 'Thai name'),
    col('name_en', 'string', 'ชื่อหน่วยงานภาษาอังกฤษ', 'English name'),
    col('kind', 'string', 'ประเภทหน่วยงาน (รหัส)', 'Kind of agency (code)'),
    col('province_code', 'string', 'รหัสจังหวัด (ว่าง: หน่วยงานระดับชาติ)', 'Province code (empty: national agency)'),
    col('province_name_th', 'string', 'ชื่อจังหวัด', 'Province (Thai)'),
    col('district_code', 'string', 'รหัสอำเภอ/เขต', 'District code'),
    col('district_name_th', 'string', 'ชื่ออำเภอ/เขต', 'District (Thai)'),
    col('sector_code', 'string', 'ภาคีเครือข่าย (รหัส)', 'Network sector (code)'),
    col('sector_name_th', 'string', 'ภาคีเครือข่าย', 'Network sector (Thai)'),
    ...SOURCE_COLUMNS,
  ],
  activities: [
    col('activity_id', 'string', 'รหัสกิจกรรมในทะเบียน', 'Registry id'),
    col('title_th', 'string', 'ชื่อกิจกรรม', 'Thai title'),
    col('title_en', 'string', 'ชื่อกิจกรรมภาษาอังกฤษ', 'English title'),
    col('kind', 'string', 'ประเภทกิจกรรม (รหัส)', 'Kind of activity (code)'),
    col('start_date', 'date', 'วันที่เริ่ม (ค.ศ. YYYY-MM-DD)', 'First day (YYYY-MM-DD)'),
    col('end_date', 'date', 'วันที่สิ้นสุด (ค.ศ. YYYY-MM-DD)', 'Last day (YYYY-MM-DD)'),
    col('fiscal_year', 'integer', 'ปีงบประมาณ (พ.ศ.)', 'Fiscal year (BE)'),
    col('province_code', 'string', 'รหัสจังหวัด', 'Province code'),
    col('province_name_th', 'string', 'ชื่อจังหวัด', 'Province (Thai)'),
    col('district_code', 'string', 'รหัสอำเภอ/เขต', 'District code'),
    col('district_name_th', 'string', 'ชื่ออำเภอ/เขต', 'District (Thai)'),
    col('venue', 'string', 'สถานที่', 'Venue'),
    col('participant_count', 'integer', 'จำนวนผู้เข้าร่วม (คน)', 'Participants (head count)'),
    col('participating_agency_count', 'integer', 'จำนวนหน่วยงานที่เข้าร่วม', 'Participating agencies'),
    col('virtues', 'string', 'คุณธรรมที่ส่งเสริม (รหัส คั่นด้วย ;)', 'Virtues promoted (codes, separated by ;)'),
    col('organizer_names', 'string', 'หน่วยงานผู้จัด (คั่นด้วย ;)', 'Organizing agencies (separated by ;)'),
    ...SOURCE_COLUMNS,
  ],
  recognitions: [
    col('recognition_id', 'string', 'รหัสการยกย่องในทะเบียน', 'Registry id'),
    col('programme', 'string', 'ประเภทการยกย่อง (รหัส)', 'Programme (code)'),
    col('level', 'string', 'ระดับ (รหัส)', 'Level (code)'),
    col('virtue', 'string', 'คุณธรรม (รหัส)', 'Virtue (code)'),
    col('scope', 'string', 'ขอบเขต (PROVINCIAL / NATIONAL)', 'Scope'),
    col('fiscal_year', 'integer', 'ปีงบประมาณ (พ.ศ.)', 'Fiscal year (BE)'),
    col('status', 'string', 'สถานะ (NOMINATED, PROVINCE_CERTIFIED, NATIONALLY_CONFIRMED, REJECTED, WITHDRAWN)', 'Workflow status'),
    col('title_th', 'string', 'ชื่อรางวัล', 'Title (Thai)'),
    col('recipient_kind', 'string', 'ประเภทผู้ได้รับ (AGENCY, PERSON, PROVINCE)', 'Recipient kind'),
    col('recipient_name_th', 'string', 'ชื่อผู้ได้รับ (หน่วยงาน บุคคล หรือจังหวัด; ไม่มีข้อมูลติดต่อ)', 'Recipient name (no contact details)'),
    col('province_code', 'string', 'รหัสจังหวัด', 'Province code'),
    col('province_name_th', 'string', 'ชื่อจังหวัด', 'Province (Thai)'),
    ...SOURCE_COLUMNS,
  ],
  comparison: [
    col('province_code', 'string', 'รหัสจังหวัด', 'Province code'),
    col('name_th', 'string', 'ชื่อจังหวัด', 'Province (Thai)'),
    col('name_en', 'string', 'ชื่อจังหวัดภาษาอังกฤษ', 'Province (English)'),
    col('region_code', 'string', 'รหัสภาค', 'NSO region code'),
    col('fiscal_year', 'integer', 'ปีงบประมาณ (พ.ศ.)', 'Fiscal year (BE)'),
    col('agency_count', 'integer', 'จำนวนหน่วยงานภาคีเครือข่าย (ปัจจุบัน)', 'Agencies (current, not per year)'),
    col('activity_count', 'integer', 'จำนวนกิจกรรมในปีงบประมาณ', 'Activities in the fiscal year'),
    col('participant_count', 'integer', 'จำนวนผู้เข้าร่วมกิจกรรมรวม (คน)', 'Sum of participants'),
    col('recognition_count', 'integer', 'จำนวนการยกย่อง (ไม่นับที่ถูกปฏิเสธหรือถอน)', 'Recognitions, not rejected or withdrawn'),
    col('nationally_confirmed_count', 'integer', 'จำนวนการยกย่องที่ได้รับการยืนยันระดับชาติ', 'Recognitions confirmed nationally'),
  ],
};

/** An output file being written row by row. */
interface Sink {
  write(row: Row): Promise<void>;
  close(): Promise<void>;
}

function csvSink(file: string, columns: string[]): Sink {
  const csv = csvWriter({ bom: true, header: true, columns });
  const out = createWriteStream(file);
  csv.pipe(out);
  return {
    async write(row) {
      if (!csv.write(row)) await new Promise((resolve) => csv.once('drain', resolve));
    },
    async close() {
      csv.end();
      await finished(out);
    },
  };
}

function xlsxSink(file: string, columns: string[], sheetName: string): Sink {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(sheetName);
  sheet.columns = columns.map((name) => ({ header: name, key: name, width: Math.max(12, name.length + 2) }));
  return {
    async write(row) {
      sheet.addRow(row).commit();
    },
    async close() {
      sheet.commit();
      await workbook.commit();
    },
  };
}

function jsonSink(file: string): Sink {
  const out = createWriteStream(file);
  let first = true;
  const put = (text: string) => (out.write(text) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', () => resolve())));
  return {
    async write(row) {
      await put(`${first ? '[\n' : ',\n'}  ${JSON.stringify(row)}`);
      first = false;
    },
    async close() {
      out.end(first ? '[]\n' : '\n]\n');
      await finished(out);
    },
  };
}

/** `agencies-TH-14-fy2565`, `…-with-synthetic` when synthetic records are in (another dataset, another name). */
function fileName(options: ExportOptions, province: string | null): string {
  return [options.what, province, options.fiscalYear ? `fy${options.fiscalYear}` : null, options.includeSynthetic ? 'with-synthetic' : null]
    .filter(Boolean)
    .join('-');
}

/** The resources (files) an earlier export of the same dataset in another format listed. */
async function earlierResources(metadataFile: string, file: string): Promise<Resource[]> {
  try {
    const earlier = JSON.parse(await readFile(metadataFile, 'utf8')) as { resources?: Resource[] };
    return (earlier.resources ?? []).filter((r) => r.name !== file && existsSync(path.join(path.dirname(metadataFile), r.name)));
  } catch {
    return [];
  }
}

export async function exportData(options: ExportOptions): Promise<ExportResult> {
  if (!EXPORTS.includes(options.what)) throw new UsageError(`--what must be one of ${EXPORTS.join(', ')}`);
  if (!['csv', 'xlsx', 'json'].includes(options.format)) throw new UsageError('--format must be csv, xlsx or json');
  const needsYear = options.what === 'activities' || options.what === 'recognitions' || options.what === 'comparison';
  if (needsYear && !options.fiscalYear) throw new UsageError(`--fiscal-year is required for ${options.what} (Buddhist Era, e.g. 2565)`);
  if (options.fiscalYear && (options.fiscalYear < 2400 || options.fiscalYear > 2700)) {
    throw new UsageError(`--fiscal-year ${options.fiscalYear} is not a Buddhist Era year (e.g. 2565)`);
  }
  const api = options.api ?? new HttpApi(options.url ?? defaultGatewayUrl(), credentialsFrom(options));
  const reference = new Reference(dataOf(await api.request<ReferenceData>(REFERENCE_QUERY), 'reading the provinces'));
  let province: string | null = null;
  if (options.province) {
    try {
      province = reference.province(options.province);
    } catch (error) {
      throw new UsageError(`--province: ${(error as Error).message}`);
    }
  }

  const outDir = options.out ?? 'exports';
  await mkdir(outDir, { recursive: true });
  const base = path.join(outDir, fileName(options, province));
  const file = `${base}.${options.format}`;
  const columns = COLUMNS[options.what];
  const names = columns.map((c) => c.name);
  const sink =
    options.format === 'csv' ? csvSink(file, names) : options.format === 'xlsx' ? xlsxSink(file, names, options.what) : jsonSink(file);

  let rows = 0;
  let syntheticExcluded = 0;
  const keep = (record: Source) => {
    if (record.source.synthetic && !options.includeSynthetic) {
      syntheticExcluded++;
      return false;
    }
    return true;
  };
  const years = new Set<number>();
  const emit = async (row: Row) => {
    await sink.write(Object.fromEntries(names.map((n) => [n, row[n] ?? null])));
    rows++;
  };
  const source = (r: Source) => ({ source_kind: r.source.kind, synthetic: r.source.synthetic });
  const vars = { provinceCode: province, fiscalYear: options.fiscalYear ?? null, first: PAGE };

  try {
    switch (options.what) {
      case 'provinces': {
        const data = dataOf(await api.request<{ provinces: ProvinceNode[] }>(PROVINCES_QUERY), 'reading the provinces');
        for (const p of data.provinces) {
          if (province && p.code !== province) continue;
          const year = options.fiscalYear ? p.programmeYears.find((y) => y.fiscalYear === options.fiscalYear && keep(y)) : undefined;
          if (options.fiscalYear) years.add(options.fiscalYear);
          await emit({
            province_code: p.code,
            dopa_code: p.dopaCode,
            name_th: p.nameTh,
            name_en: p.nameEn,
            region_code: p.region.code,
            region_name_th: p.region.nameTh,
            district_count: p.districts.length,
            fiscal_year: options.fiscalYear ?? null,
            programme_year: year?.programmeYear ?? null,
            target_behaviour_th: year?.targetBehaviourTh ?? null,
            target_virtues: year ? year.targetVirtues.join(';') : null,
          });
        }
        break;
      }
      case 'agencies':
        for await (const a of paged<AgencyNode>(api, AGENCIES_QUERY, 'agencies', vars, 'reading agencies')) {
          if (!keep(a)) continue;
          await emit({
            agency_id: a.id,
            name_th: a.nameTh,
            name_en: a.nameEn,
            kind: a.kind,
            province_code: a.province?.code ?? null,
            province_name_th: a.province?.nameTh ?? null,
            district_code: a.district?.code ?? null,
            district_name_th: a.district?.nameTh ?? null,
            sector_code: a.sector?.code ?? null,
            sector_name_th: a.sector?.nameTh ?? null,
            ...source(a),
          });
        }
        break;
      case 'activities':
        for await (const a of paged<ActivityNode>(api, ACTIVITIES_QUERY, 'activities', vars, 'reading activities')) {
          if (!keep(a)) continue;
          years.add(a.fiscalYear);
          await emit({
            activity_id: a.id,
            title_th: a.titleTh,
            title_en: a.titleEn,
            kind: a.kind,
            start_date: a.startDate,
            end_date: a.endDate,
            fiscal_year: a.fiscalYear,
            province_code: a.province?.code ?? null,
            province_name_th: a.province?.nameTh ?? null,
            district_code: a.district?.code ?? null,
            district_name_th: a.district?.nameTh ?? null,
            venue: a.venue,
            participant_count: a.participantCount,
            participating_agency_count: a.participatingAgencyCount,
            virtues: a.virtues.join(';'),
            organizer_names: a.organizers.map((o) => o.nameTh).join('; '),
            ...source(a),
          });
        }
        break;
      case 'recognitions':
        for await (const r of paged<RecognitionNode>(api, RECOGNITIONS_QUERY, 'recognitions', vars, 'reading recognitions')) {
          if (!keep(r)) continue;
          years.add(r.fiscalYear);
          const recipient = r.recipient;
          await emit({
            recognition_id: r.id,
            programme: r.programme,
            level: r.level,
            virtue: r.virtue,
            scope: r.scope,
            fiscal_year: r.fiscalYear,
            status: r.status,
            title_th: r.titleTh,
            recipient_kind: recipient.__typename === 'Agency' ? 'AGENCY' : recipient.__typename === 'Person' ? 'PERSON' : 'PROVINCE',
            recipient_name_th: recipient.__typename === 'Person' ? recipient.fullNameTh : recipient.nameTh,
            province_code: r.province?.code ?? null,
            province_name_th: r.province?.nameTh ?? null,
            ...source(r),
          });
        }
        break;
      case 'comparison': {
        const figures = await comparison(api, vars, keep);
        years.add(options.fiscalYear!);
        for (const row of figures) if (!province || row.province_code === province) await emit(row);
        break;
      }
    }
  } finally {
    await sink.close();
  }

  const metadataFile = `${base}.metadata.json`;
  const metadata = catalogueMetadata({
    what: options.what,
    format: options.format,
    file: path.basename(file),
    otherResources: await earlierResources(metadataFile, path.basename(file)),
    province: province ? { code: province, nameTh: reference.provinceName(province)! } : null,
    fiscalYear: options.fiscalYear ?? null,
    years: [...years],
    rows,
    columns,
    includeSynthetic: options.includeSynthetic ?? false,
  });
  await writeFile(metadataFile, `${JSON.stringify(metadata, null, 2)}\n`);
  return { file, metadataFile, rows, syntheticExcluded, columns: names };
}

/**
 * Per-province figures from the records the other exports would write (same synthetic rule): the
 * agencies now, and the fiscal year's activities and recognitions. Every province is listed (or only
 * the one asked for).
 */
async function comparison(api: Api, vars: Record<string, unknown>, keep: (r: Source) => boolean): Promise<Row[]> {
  const rows = new Map<
    string,
    Row & {
      agency_count: number;
      activity_count: number;
      participant_count: number;
      recognition_count: number;
      nationally_confirmed_count: number;
    }
  >();
  const data = dataOf(await api.request<{ provinces: ProvinceNode[] }>(PROVINCES_QUERY), 'reading the provinces');
  for (const p of data.provinces) {
    rows.set(p.code, {
      province_code: p.code,
      name_th: p.nameTh,
      name_en: p.nameEn,
      region_code: p.region.code,
      fiscal_year: vars.fiscalYear as number,
      agency_count: 0,
      activity_count: 0,
      participant_count: 0,
      recognition_count: 0,
      nationally_confirmed_count: 0,
    });
  }
  for await (const a of paged<AgencyNode>(api, AGENCIES_QUERY, 'agencies', vars, 'reading agencies')) {
    const row = a.province && rows.get(a.province.code);
    if (row && keep(a)) row.agency_count++;
  }
  for await (const a of paged<ActivityNode>(api, ACTIVITIES_QUERY, 'activities', vars, 'reading activities')) {
    const row = a.province && rows.get(a.province.code);
    if (row && keep(a)) {
      row.activity_count++;
      row.participant_count += a.participantCount;
    }
  }
  for await (const r of paged<RecognitionNode>(api, RECOGNITIONS_QUERY, 'recognitions', vars, 'reading recognitions')) {
    const row = r.province && rows.get(r.province.code);
    if (!row || !keep(r) || r.status === 'REJECTED' || r.status === 'WITHDRAWN') continue;
    row.recognition_count++;
    if (r.status === 'NATIONALLY_CONFIRMED') row.nationally_confirmed_count++;
  }
  return [...rows.values()];
}
