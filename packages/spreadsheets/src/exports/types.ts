/**
 * What every export shares: the list of exports and formats, a row, a column of the data.go.th
 * catalogue, and what one export module provides (its GraphQL document, columns and row mapping).
 */
import type { Api } from '../api.ts';

export const EXPORTS = ['provinces', 'agencies', 'activities', 'recognitions', 'comparison'] as const;
export type ExportWhat = (typeof EXPORTS)[number];
export const EXPORT_FORMATS = ['csv', 'xlsx', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export type Cell = string | number | boolean | null;
export type Row = Record<string, Cell>;

export interface ExportColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'date' | 'boolean';
  descriptionTh: string;
  descriptionEn: string;
}

/** One file of the dataset (data.go.th: a resource). */
export interface Resource {
  name: string;
  format: string;
  encoding: string;
  row_count: number;
  /** Where the file can be downloaded (the gateway's metadata names its download URLs). */
  url?: string;
}

/** A record that says where it comes from (every record of the registry does). */
export interface Sourced {
  source: { kind: string; synthetic: boolean };
}

/** What the export covers, resolved and validated. */
export interface ExportScope {
  /** Buddhist Era fiscal year. */
  fiscalYear: number | null;
  province: { code: string; nameTh: string } | null;
  /** An NSO (or MPC) region and its provinces. */
  region: { code: string; nameTh: string; provinces: ReadonlySet<string> } | null;
  includeSynthetic: boolean;
  /**
   * Where the comparison's figures come from: `api` (the API's own province statistics, which count
   * every record, synthetic included) or `records` (counted here from the records the other exports
   * would write). By default `api` when synthetic records are included, else `records`.
   */
  figuresFrom?: 'api' | 'records';
}

/** What an export module is given while it reads. */
export interface ExportContext extends ExportScope {
  api: Api;
  /** False (and counted) for a synthetic record when synthetic records are left out. */
  keep(record: Sourced): boolean;
  /** Whether a record of this province is in the scope (the province, the region, or everything). */
  inScope(provinceCode: string | null | undefined): boolean;
  /** Fiscal years the rows cover (for the catalogue's first and last year of data). */
  years: Set<number>;
}

/** The data.go.th catalogue wording of one export. */
export interface CatalogueText {
  th: string;
  en: string;
  notesTh: string;
  notesEn: string;
  dataType: string;
}

export interface ExportDefinition {
  what: ExportWhat;
  /** Activities, recognitions and the comparison are per fiscal year. */
  needsFiscalYear: boolean;
  /** A short Thai name for the downloaded file (`หน่วยงาน`, `เปรียบเทียบจังหวัด` …). */
  fileNameTh: string;
  catalogue: CatalogueText;
  columns: ExportColumn[];
  rows(context: ExportContext): AsyncIterable<Row>;
}

export const col = (name: string, type: ExportColumn['type'], th: string, en: string): ExportColumn => ({
  name,
  type,
  descriptionTh: th,
  descriptionEn: en,
});

export const SOURCE_COLUMNS = [
  col('source_kind', 'string', 'ที่มาของข้อมูล (SOURCE_DOCUMENT, IMPORT, USER_ENTRY, SYNTHETIC)', 'Where the record comes from'),
  col(
    'synthetic',
    'boolean',
    'ข้อมูลสังเคราะห์ (true เฉพาะเมื่อส่งออกด้วย --include-synthetic)',
    'Synthetic demo record (true only with --include-synthetic)',
  ),
];

export const sourceCells = (r: Sourced): Row => ({ source_kind: r.source.kind, synthetic: r.source.synthetic });

/** A province or district as the record exports select it. */
interface Place {
  code: string;
  nameTh: string;
}

/** The province a record is in (activities and recognitions; agencies say what an empty one means). */
export const PROVINCE_COLUMNS = [
  col('province_code', 'string', 'รหัสจังหวัด', 'Province code'),
  col('province_name_th', 'string', 'ชื่อจังหวัด', 'Province (Thai)'),
];

export const provinceCells = (r: { province?: Place | null }): Row => ({
  province_code: r.province?.code ?? null,
  province_name_th: r.province?.nameTh ?? null,
});

/** The district a record is in (activities and agencies). */
export const DISTRICT_COLUMNS = [
  col('district_code', 'string', 'รหัสอำเภอ/เขต', 'District code'),
  col('district_name_th', 'string', 'ชื่ออำเภอ/เขต', 'District (Thai)'),
];

export const districtCells = (r: { district?: Place | null }): Row => ({
  district_code: r.district?.code ?? null,
  district_name_th: r.district?.nameTh ?? null,
});
