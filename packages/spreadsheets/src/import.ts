/**
 * `npm run import`: a CSV or XLSX file through the API's batch mutation (docs/IMPORT.md), streamed.
 *
 * The file is read row by row; each row is converted here (headers, names, codes, dates, Thai digits)
 * and sent in batches of at most 500 while the file is still being read, with at most `concurrency`
 * batches in flight, so memory stays flat however long the file is. The API validates every row,
 * matches it by its natural key and creates, updates or leaves it; a rejected row never stops the
 * others. Rejected rows (here or by the API) are reported with their row number, column and reason,
 * in the log and in `<name>.errors.csv` next to the input, which can be fixed and imported again.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, rmSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import path from 'node:path';
import { csvWriter } from './csv.ts';
import { ApiUnavailable, HttpApi, UsageError, credentialsFrom, dataOf, defaultGatewayUrl, type Api } from './api.ts';
import { TYPES, type ImportType, type ImportTypeName } from './columns.ts';
import type { Encoding } from './encoding.ts';
import { startProgress, type ProgressMode } from './progress.ts';
import type { XlsxLimits } from './exceljs.ts';
import { openSource, type RawRow, type Source } from './read.ts';
import { REFERENCE_QUERY, Reference } from './reference.ts';
import { HEADER_SEARCH_ROWS, convertRow, errorFileHeader, findHeader, type Header, type RowProblem } from './table.ts';
import { CellProblem, cellText, isBlank } from './text.ts';
import { t } from '@moral-registry/common';

/** The API's limit per batch mutation. */
export const MAX_BATCH = 500;

export interface ImportOptions {
  file: string;
  type: ImportTypeName;
  /** Gateway URL; default http://HOST:GATEWAY_PORT/graphql from the configuration. */
  url?: string;
  token?: string | null;
  apiKey?: string | null;
  /** Another API client (tests). */
  api?: Api;
  /** The province of rows without one: `TH-14`, `14` or a Thai name. */
  province?: string | null;
  dryRun?: boolean;
  /** Dry run of the whole file first; write only when no row is rejected. */
  allOrNothing?: boolean;
  /** Record the rows as SYNTHETIC (made-up demo or benchmark data) rather than IMPORT. */
  synthetic?: boolean;
  encoding?: Encoding;
  delimiter?: string;
  sheet?: string;
  /** XLSX: how much a workbook may make the importer hold (default DEFAULT_XLSX_LIMITS; XLSX_MAX_* in `npm run import`). */
  xlsxLimits?: Partial<XlsxLimits>;
  batchSize?: number;
  /** Batches in flight at once (default 2: the next batch is read and sent while one is written). */
  concurrency?: number;
  progress?: ProgressMode;
  /** Where rejections and warnings go (default stdout). */
  log?: (line: string) => void;
  /** The error file; default `<name>.errors.csv` next to the input; false: none. */
  errorFile?: string | false;
}

export interface Rejection {
  row: number;
  /** The file's header of the column at fault (`(row)` for the row as a whole, `--province` for the option). */
  column: string;
  field: string;
  reason: string;
}

export interface ImportSummary {
  file: string;
  type: ImportTypeName;
  format: 'csv' | 'xlsx';
  encoding: Encoding | null;
  dryRun: boolean;
  /** False for a dry run and for an all-or-nothing import that found rejected rows. */
  written: boolean;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  seconds: number;
  rowsPerSecond: number;
  warnings: string[];
  /** The first 1,000 rejections (all of them are in the log and the error file). */
  rejections: Rejection[];
  errorFile: string | null;
}

interface PendingRow {
  number: number;
  cells: RawRow['cells'];
  input: Record<string, unknown> | null;
  problems: RowProblem[];
}

/** One row's outcome in the batch mutation's answer. */
export interface RowResult {
  index: number;
  status: 'CREATED' | 'UPDATED' | 'UNCHANGED' | 'REJECTED';
  id: string | null;
  problems: RowProblem[];
}

/** The batch mutation of an import type (docs/IMPORT.md), built from the type's names (so not one of ./generated's documents). */
export const importMutation = (type: ImportType) => `
  mutation SpreadsheetImport($input: ${type.inputType}!) {
    ${type.mutation}(input: $input) {
      rows { index status id problems { field message } }
    }
  }
`;

export function errorFileFor(file: string): string {
  const parsed = path.parse(file);
  return path.join(parsed.dir, `${parsed.name}.errors.csv`);
}

const MAX_KEPT_REJECTIONS = 1000;

export async function importFile(options: ImportOptions): Promise<ImportSummary> {
  const type = TYPES[options.type];
  if (!type) throw new UsageError(t('cli.import.unknownType', { type: options.type }));
  if (!existsSync(options.file)) throw new UsageError(t('cli.import.noFile', { file: options.file }));
  const batchSize = Math.min(Math.max(1, options.batchSize ?? MAX_BATCH), MAX_BATCH);
  const concurrency = Math.max(1, options.concurrency ?? 2);
  const log = options.log ?? ((line: string) => console.log(line));
  const api = options.api ?? new HttpApi(options.url ?? defaultGatewayUrl(), credentialsFrom(options));

  const reference = new Reference(dataOf(await api.request(REFERENCE_QUERY), t('cli.import.readingReference')));
  let defaultProvince: string | null = null;
  if (options.province) {
    try {
      defaultProvince = reference.province(options.province);
    } catch (error) {
      throw new UsageError(`--province: ${(error as CellProblem).message}`);
    }
  }
  const errorFile = options.errorFile === false ? null : (options.errorFile ?? errorFileFor(options.file));

  const run = (dryRun: boolean) =>
    importPass({ ...options, type, batchSize, concurrency, log, api, reference, defaultProvince, errorFile, dryRun });
  if (options.allOrNothing && !options.dryRun) {
    const check = await run(true);
    if (check.rejected > 0) {
      log(t('cli.import.allOrNothing', { count: check.rejected }));
      return { ...check, dryRun: false, written: false };
    }
    return run(false);
  }
  return run(options.dryRun ?? false);
}

interface Pass {
  file: string;
  type: ImportType;
  batchSize: number;
  concurrency: number;
  log: (line: string) => void;
  api: Api;
  reference: Reference;
  defaultProvince: string | null;
  errorFile: string | null;
  dryRun: boolean;
  synthetic?: boolean;
  encoding?: Encoding;
  delimiter?: string;
  sheet?: string;
  xlsxLimits?: Partial<XlsxLimits>;
  progress?: ProgressMode;
}

async function importPass(pass: Pass): Promise<ImportSummary> {
  const { type, log } = pass;
  const startedAt = Date.now();
  let source: Source;
  try {
    source = await openSource(pass.file, {
      encoding: pass.encoding,
      delimiter: pass.delimiter,
      sheet: pass.sheet,
      xlsxLimits: pass.xlsxLimits,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const rows = source.rows[Symbol.asyncIterator]();
  const firstRows: RawRow[] = [];
  let header: Header;
  let rest: RawRow[];
  try {
    while (firstRows.length < HEADER_SEARCH_ROWS) {
      const next = await rows.next();
      if (next.done) break;
      firstRows.push(next.value);
    }
    ({ header, rest } = findHeader(type, firstRows));
  } catch (error) {
    source.close();
    throw new UsageError(`${path.basename(pass.file)}: ${(error as Error).message}`);
  }
  for (const warning of header.warnings) log(`warning: ${warning}`);

  const summary: ImportSummary = {
    file: pass.file,
    type: type.name,
    format: source.format,
    encoding: source.encoding,
    dryRun: pass.dryRun,
    written: !pass.dryRun,
    rows: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    seconds: 0,
    rowsPerSecond: 0,
    warnings: header.warnings,
    rejections: [],
    errorFile: null,
  };

  const label = t('cli.import.progressLabel', { mode: pass.dryRun ? 'dryRun' : 'written', type: type.name });
  const progress = startProgress(pass.progress ?? 'auto', label, source.totalBytes);
  // On a terminal with a bar, rejected rows are printed above it rather than through it.
  const say = progress.log ? (line: string) => progress.log!(line) : log;
  const errors = new ErrorFile(pass.errorFile, header);
  const seenKeys = new Map<string, number>();
  let done = 0;

  const columnOf = (field: string): string => {
    if (field === 'FORBIDDEN') field = 'provinceCode';
    const name = header.headerOf.get(field);
    if (name) return name;
    if (field === 'provinceCode' && pass.defaultProvince) return '--province';
    return '(row)';
  };
  const reasonOf = (problem: RowProblem, sentNumbers: number[]) => {
    // The API numbers rows within its batch ("row 3 of this batch", "แถวที่ 3 ของชุดนี้"); the clerk knows the file's rows.
    const message = problem.message
      .replace(/row (\d+) of this batch/g, (_, i: string) => `row ${sentNumbers[Number(i)] ?? i}`)
      .replace(/แถวที่ (\d+) ของชุดนี้/g, (_, i: string) => `แถวที่ ${sentNumbers[Number(i)] ?? i}`);
    return /^[A-Z_]+$/.test(problem.field) && problem.field !== 'row' ? `${problem.field}: ${message}` : message;
  };

  type Sent = { batch: PendingRow[]; bytes: number; results: (RowResult | undefined)[]; error?: unknown };
  async function send(batch: PendingRow[], bytes: number): Promise<Sent> {
    const sent = batch.filter((r) => r.input);
    if (sent.length === 0) return { batch, bytes, results: [] };
    try {
      const response = await pass.api.request<Record<string, { rows: RowResult[] }>>(importMutation(type), {
        input: {
          rows: sent.map((r) => r.input),
          dryRun: pass.dryRun,
          source: { kind: pass.synthetic ? 'SYNTHETIC' : 'IMPORT', label: path.basename(pass.file) },
        },
      });
      const first = response.errors?.[0];
      if (first && !response.data?.[type.mutation]) {
        const code = first.extensions?.code ?? 'ERROR';
        if (code === 'GRAPHQL_VALIDATION_FAILED' && first.message.includes(type.mutation)) {
          throw new ApiUnavailable(t('cli.import.noMutation', { mutation: type.mutation, reason: first.message }));
        }
        if (code === 'FORBIDDEN') throw new ApiUnavailable(t('cli.import.refused', { mutation: type.mutation, reason: first.message }));
        // Anything else fails the whole batch: its rows are rejected with the API's message.
        const problems = [{ field: 'row', message: `${code}: ${first.message}` }];
        return { batch, bytes, results: sent.map((_, index) => ({ index, status: 'REJECTED' as const, id: null, problems })) };
      }
      return { batch, bytes, results: response.data![type.mutation]!.rows };
    } catch (error) {
      return { batch, bytes, results: [], error };
    }
  }

  async function finish(pending: Promise<Sent>): Promise<void> {
    const { batch, bytes, results, error } = await pending;
    if (error) throw error;
    const sentNumbers = batch.filter((r) => r.input).map((r) => r.number);
    let sentIndex = 0;
    for (const row of batch) {
      let problems = row.problems;
      if (row.input) {
        const result = results[sentIndex++];
        if (!result) problems = [{ field: 'row', message: t('cli.import.noResult') }];
        else if (result.status !== 'REJECTED') {
          summary[result.status === 'CREATED' ? 'created' : result.status === 'UPDATED' ? 'updated' : 'unchanged']++;
          continue;
        } else problems = result.problems.length ? result.problems : [{ field: 'row', message: t('cli.import.rejected') }];
      }
      summary.rejected++;
      const rejections = problems.map((p) => ({
        row: row.number,
        column: columnOf(p.field),
        field: p.field,
        reason: reasonOf(p, sentNumbers),
      }));
      for (const r of rejections) {
        say(
          t('cli.import.rejection', {
            row: r.row,
            column: r.column === '(row)' || r.column === '--province' ? r.column : `"${r.column}"`,
            reason: r.reason,
          }),
        );
        if (summary.rejections.length < MAX_KEPT_REJECTIONS) summary.rejections.push(r);
      }
      await errors.add(row, rejections);
    }
    done += batch.length;
    progress.update(bytes, done);
  }

  const inFlight: Promise<Sent>[] = [];
  let batch: PendingRow[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    // Bytes read when the batch was complete (the reader runs a little ahead): drives the ETA.
    inFlight.push(send(batch, source.bytesRead()));
    batch = [];
    if (inFlight.length >= pass.concurrency) await finish(inFlight.shift()!);
  };

  try {
    const dataRows = async function* () {
      yield* rest;
      for (;;) {
        const next = await rows.next();
        if (next.done) return;
        yield next.value;
      }
    };
    for await (const raw of dataRows()) {
      if (raw.cells.every((c) => isBlank(c))) continue;
      summary.rows++;
      const { input, problems } = convertRow(type, header, raw.cells, { reference: pass.reference, defaultProvince: pass.defaultProvince });
      if (input) {
        // The API matches rows within a batch; rows repeating a record across batches are caught here.
        // 72 bits of a hash per row (not the key itself) keep this set small: ~90 bytes a row.
        const key = createHash('sha1').update(type.naturalKey(input)).digest('base64').slice(0, 12);
        const firstRow = seenKeys.get(key);
        if (firstRow !== undefined) {
          problems.push({ field: 'row', message: t('cell.repeatsRow', { row: firstRow, key: type.naturalKeyTh }) });
        } else seenKeys.set(key, raw.number);
      }
      batch.push({ number: raw.number, cells: raw.cells, input: problems.length ? null : input, problems });
      if (batch.length >= pass.batchSize) await flush();
    }
    await flush();
    while (inFlight.length) await finish(inFlight.shift()!);
  } catch (error) {
    await Promise.allSettled(inFlight);
    source.close();
    await errors.close();
    throw error;
  } finally {
    progress.stop();
  }
  summary.errorFile = await errors.close();
  summary.seconds = (Date.now() - startedAt) / 1000;
  summary.rowsPerSecond = Math.round(summary.rows / Math.max(summary.seconds, 0.001));
  return summary;
}

/** `<name>.errors.csv`: the rejected rows in the input's columns, with their row number and reasons. */
class ErrorFile {
  private stream: ReturnType<typeof csvWriter> | null = null;
  private done: Promise<void> | null = null;

  constructor(
    private readonly file: string | null,
    private readonly header: Header,
  ) {}

  async add(row: PendingRow, rejections: Rejection[]): Promise<void> {
    if (!this.file) return;
    if (!this.stream) {
      this.stream = csvWriter({ bom: true });
      const out = createWriteStream(this.file);
      this.stream.pipe(out);
      this.done = finished(out);
      for (const r of errorFileHeader(this.header)) this.stream.write(r);
    }
    const cells = Array.from({ length: this.header.width }, (_, i) => cellText(row.cells[i] ?? null));
    const reasons = rejections.map((r) => `${r.column}: ${r.reason}`).join(' | ');
    if (!this.stream.write([...cells, String(row.number), reasons])) await new Promise((resolve) => this.stream!.once('drain', resolve));
  }

  /** The file written, or null; a stale error file of an earlier run is removed when nothing was rejected. */
  async close(): Promise<string | null> {
    if (!this.file) return null;
    if (!this.stream) {
      if (existsSync(this.file)) rmSync(this.file);
      return null;
    }
    this.stream.end();
    await this.done;
    this.stream = null;
    return this.file;
  }
}

/** The closing lines of an import, for the terminal. */
export function formatSummary(s: ImportSummary): string[] {
  const mode = s.dryRun ? 'dryRun' : s.written ? 'written' : 'check';
  const lines = [
    t('cli.import.summaryTitle', {
      mode,
      file: path.basename(s.file),
      type: s.type,
      format: s.format,
      encoding: s.encoding ? `, ${s.encoding}` : '',
    }),
    `  ${t('cli.import.summaryCounts', { mode, rows: s.rows, created: s.created, updated: s.updated, unchanged: s.unchanged, rejected: s.rejected })}`,
    `  ${t('cli.import.summaryTime', { seconds: s.seconds.toFixed(1), rate: s.rowsPerSecond })}`,
  ];
  if (s.errorFile) lines.push(`  ${t('cli.import.summaryErrorFile', { file: s.errorFile })}`);
  return lines;
}
