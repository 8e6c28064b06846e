/**
 * One implementation of every export, for the command (`npm run export`, exportData) and the
 * gateway's downloads (`GET /exports/<what>.<format>`): the request is checked and resolved
 * (prepareExport), the rows are read through the GraphQL API with the caller's credentials
 * (startExport) and written by the same writer (writeRows) to a file or to the HTTP response, so
 * both give the same bytes for the same data.
 *
 * What is never exported: people's contact details (the queries do not ask for phone, email or
 * address), and synthetic records unless `includeSynthetic` (every record's `source.synthetic`).
 */
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BE_OFFSET, REGION_KEYS, assertFiscalYear, provincesOf, regionArg, t } from '@moral-registry/common';
import { HttpApi, UsageError, credentialsFrom, dataOf, defaultGatewayUrl, type Api } from '../api.ts';
import { REFERENCE_QUERY, Reference } from '../reference.ts';
import { activities } from './activities.ts';
import { agencies } from './agencies.ts';
import { comparison } from './comparison.ts';
import { catalogueMetadata, resourceOf } from './metadata.ts';
import { provinces } from './provinces.ts';
import { recognitions } from './recognitions.ts';
import {
  EXPORTS,
  EXPORT_FORMATS,
  type ExportColumn,
  type ExportContext,
  type ExportDefinition,
  type ExportFormat,
  type ExportScope,
  type ExportWhat,
  type Resource,
  type Row,
} from './types.ts';
import { writeRows } from './writers.ts';

export const EXPORT_DEFINITIONS: Record<ExportWhat, ExportDefinition> = { provinces, agencies, activities, recognitions, comparison };

/** Every export's columns, by name. */
export const COLUMNS = Object.fromEntries(EXPORTS.map((what) => [what, EXPORT_DEFINITIONS[what].columns])) as Record<
  ExportWhat,
  ExportColumn[]
>;

/** How the options are called where the request came from, for the messages (and `field` of an HTTP error). */
export interface FieldNames {
  what: string;
  format: string;
  fiscalYear: string;
  province: string;
  region: string;
}
export const CLI_FIELDS: FieldNames = {
  what: '--what',
  format: '--format',
  fiscalYear: '--fiscal-year',
  province: '--province',
  region: '--region',
};
export const HTTP_FIELDS: FieldNames = { what: 'what', format: 'format', fiscalYear: 'fiscalYear', province: 'province', region: 'region' };

/** An export as asked for, before it is checked. */
export interface ExportRequest {
  what: string;
  /** Buddhist Era fiscal year: required for activities, recognitions and comparison. */
  fiscalYear?: number | string | null;
  /** Only this province (code or Thai name). */
  province?: string | null;
  /** Only the provinces of this region (NSO code such as NORTH, or its Thai name). */
  region?: string | null;
  includeSynthetic?: boolean;
  figuresFrom?: ExportScope['figuresFrom'];
}

export interface PreparedExport {
  definition: ExportDefinition;
  scope: ExportScope;
  /** `comparison-TH-14-fy2565`, `…-with-synthetic`: the file name without its extension (ASCII). */
  fileBase: string;
}

/** Checks and resolves a request; a wrong one is a UsageError naming the option (`fields`) at fault. */
export async function prepareExport(api: Api, request: ExportRequest, fields: FieldNames = CLI_FIELDS): Promise<PreparedExport> {
  if (!(EXPORTS as readonly string[]).includes(request.what))
    throw new UsageError(t('export.whatOneOf', { field: fields.what, whats: EXPORTS.join(', '), value: request.what }), fields.what);
  const definition = EXPORT_DEFINITIONS[request.what as ExportWhat];
  const fiscalYear = checkFiscalYear(request.fiscalYear, fields.fiscalYear);
  if (definition.needsFiscalYear && fiscalYear === null)
    throw new UsageError(t('export.fiscalYearRequired', { field: fields.fiscalYear, what: definition.what }), fields.fiscalYear);

  let region: ExportScope['region'] = null;
  if (request.region != null) {
    let code: string;
    try {
      code = regionArg(request.region, fields.region);
    } catch {
      const regions = REGION_KEYS.filter((r) => r.grouping === 'NSO')
        .map((r) => `${r.code} ${r.nameTh}`)
        .join(', ');
      throw new UsageError(t('export.regionUnknown', { field: fields.region, value: request.region, regions }), fields.region);
    }
    const found = REGION_KEYS.find((r) => r.code === code)!;
    region = { code, nameTh: found.nameTh, provinces: new Set(provincesOf(code)) };
  }

  let province: ExportScope['province'] = null;
  if (request.province != null) {
    const reference = new Reference(dataOf(await api.request(REFERENCE_QUERY), t('cli.export.reading', { what: 'reference' })));
    let code: string;
    try {
      code = reference.province(request.province);
    } catch (error) {
      throw new UsageError(t('export.provinceUnknown', { field: fields.province, reason: (error as Error).message }), fields.province);
    }
    province = { code, nameTh: reference.provinceName(code)! };
    if (region && !region.provinces.has(code))
      throw new UsageError(
        t('export.provinceNotInRegion', {
          field: fields.province,
          province: `${code} ${province.nameTh}`,
          region: `${region.code} ${region.nameTh}`,
        }),
        fields.province,
      );
  }

  const includeSynthetic = request.includeSynthetic ?? false;
  const fileBase = [
    definition.what,
    province?.code ?? region?.code,
    fiscalYear ? `fy${fiscalYear}` : null,
    includeSynthetic ? 'with-synthetic' : null,
  ]
    .filter(Boolean)
    .join('-');
  return { definition, scope: { fiscalYear, province, region, includeSynthetic, figuresFrom: request.figuresFrom }, fileBase };
}

/** A Buddhist Era fiscal year, with the API's hint for a Common Era one (input.fiscalYearCommonEra). */
function checkFiscalYear(value: number | string | null | undefined, field: string): number | null {
  if (value === null || value === undefined || value === '') return null;
  const year = typeof value === 'number' ? value : /^\s*-?\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  try {
    return assertFiscalYear(year, field);
  } catch (error) {
    // assertFiscalYear's BAD_USER_INPUT (a GraphQLError), said as a usage error of this option.
    if ((error as { extensions?: { code?: string } }).extensions?.code === 'BAD_USER_INPUT')
      throw new UsageError((error as Error).message, field);
    throw error;
  }
}

/** The file name for a download: ASCII (`comparison-fy2565.csv`), and in Thai (`เปรียบเทียบรายจังหวัด-ปีงบประมาณ2565.csv`). */
export function exportFileNames(prepared: PreparedExport, format: ExportFormat): { ascii: string; thai: string } {
  const { scope } = prepared;
  const thai = [
    prepared.definition.fileNameTh,
    scope.province?.nameTh ?? scope.region?.nameTh,
    scope.fiscalYear ? `ปีงบประมาณ${scope.fiscalYear}` : null,
    scope.includeSynthetic ? 'รวมข้อมูลสังเคราะห์' : null,
  ]
    .filter(Boolean)
    .join('-')
    .replace(/\s+/g, '');
  return { ascii: `${prepared.fileBase}.${format}`, thai: `${thai}.${format}` };
}

/** What an export read, known when its rows have all been read. */
export interface ExportStats {
  rows: number;
  /** Records left out because they are synthetic. */
  syntheticExcluded: number;
  /** Fiscal years the rows cover. */
  years: Set<number>;
}

export interface StartedExport {
  /** Every row, with exactly the export's columns in order (the first one already read). */
  rows: AsyncIterable<Row>;
  stats: ExportStats;
  /** Stops reading (a HEAD request, a client gone). */
  cancel(): Promise<void>;
}

/**
 * Starts reading: returns once the first row is read (or there is none), so the API's refusals —
 * credentials, roles, limits — are known before anything is written (the gateway's HTTP status).
 */
export async function startExport(api: Api, prepared: PreparedExport): Promise<StartedExport> {
  const { definition, scope } = prepared;
  const stats: ExportStats = { rows: 0, syntheticExcluded: 0, years: new Set() };
  const context: ExportContext = {
    ...scope,
    api,
    years: stats.years,
    keep(record) {
      if (record.source.synthetic && !scope.includeSynthetic) {
        stats.syntheticExcluded++;
        return false;
      }
      return true;
    },
    inScope(code) {
      if (scope.province) return code === scope.province.code;
      if (scope.region) return !!code && scope.region.provinces.has(code);
      return true;
    },
  };
  const names = definition.columns.map((c) => c.name);
  const source = definition.rows(context)[Symbol.asyncIterator]();
  const first = await source.next();
  async function* rows(): AsyncGenerator<Row> {
    let next = first;
    while (!next.done) {
      stats.rows++;
      yield Object.fromEntries(names.map((n) => [n, next.value[n] ?? null]));
      next = await source.next();
    }
  }
  return {
    rows: rows(),
    stats,
    async cancel() {
      await source.return?.();
    },
  };
}

/** The workbook's dates in an XLSX: the first day of the data's fiscal year, else the zip epoch; never "now". */
export function exportDate(scope: ExportScope): Date {
  return scope.fiscalYear ? new Date(`${scope.fiscalYear - BE_OFFSET - 1}-10-01T00:00:00Z`) : new Date('1980-01-01T00:00:00Z');
}

/** Writes a started export to `out` (ending it). */
export async function writeExport(
  prepared: PreparedExport,
  started: StartedExport,
  format: ExportFormat,
  out: import('node:stream').Writable,
): Promise<void> {
  await writeRows(format, started.rows, out, {
    columns: prepared.definition.columns.map((c) => c.name),
    sheetName: prepared.definition.what,
    date: exportDate(prepared.scope),
  });
}

/** The data.go.th catalogue record of a finished export. */
export function exportMetadata(prepared: PreparedExport, stats: ExportStats, resources: Resource[]) {
  return catalogueMetadata({
    definition: prepared.definition,
    scope: prepared.scope,
    resources,
    years: [...stats.years],
    rows: stats.rows,
  });
}

// --- The command: files in a directory ---

export interface ExportOptions extends ExportRequest {
  what: ExportWhat;
  format: ExportFormat;
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

/** The resources (files) an earlier export of the same dataset in another format listed. */
async function earlierResources(metadataFile: string, file: string): Promise<Resource[]> {
  try {
    const earlier = JSON.parse(await readFile(metadataFile, 'utf8')) as { resources?: Resource[] };
    return (earlier.resources ?? []).filter((r) => r.name !== file && existsSync(path.join(path.dirname(metadataFile), r.name)));
  } catch {
    return [];
  }
}

/** `npm run export`: `<out>/<name>.<format>` and `<out>/<name>.metadata.json`. */
export async function exportData(options: ExportOptions): Promise<ExportResult> {
  if (!(EXPORT_FORMATS as readonly string[]).includes(options.format))
    throw new UsageError(t('export.formatOneOf', { field: CLI_FIELDS.format, value: String(options.format) }), CLI_FIELDS.format);
  const api = options.api ?? new HttpApi(options.url ?? defaultGatewayUrl(), credentialsFrom(options));
  const prepared = await prepareExport(api, options, CLI_FIELDS);
  const started = await startExport(api, prepared);
  const outDir = options.out ?? 'exports';
  await mkdir(outDir, { recursive: true });
  const base = path.join(outDir, prepared.fileBase);
  const file = `${base}.${options.format}`;
  await writeExport(prepared, started, options.format, createWriteStream(file));

  const metadataFile = `${base}.metadata.json`;
  const name = path.basename(file);
  const resources = [...(await earlierResources(metadataFile, name)), resourceOf(options.format, name, started.stats.rows)];
  await writeFile(metadataFile, `${JSON.stringify(exportMetadata(prepared, started.stats, resources), null, 2)}\n`);
  return {
    file,
    metadataFile,
    rows: started.stats.rows,
    syntheticExcluded: started.stats.syntheticExcluded,
    columns: prepared.definition.columns.map((c) => c.name),
  };
}
