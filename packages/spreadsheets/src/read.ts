/**
 * Rows out of a CSV or XLSX file, streamed: csv-parse over the decoded bytes (UTF-8 or Windows-874),
 * exceljs's streaming WorkbookReader for XLSX. Rows come out one at a time with their row number as
 * the spreadsheet shows it (the record number of a CSV, the sheet row of an XLSX), so memory does not
 * grow with the file.
 */
import { createReadStream, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream';
import { parse } from 'csv-parse';
import ExcelJS, { newXlsxBudget, withXlsxBudget, type XlsxLimits } from './exceljs.ts';
import iconv from 'iconv-lite';
import { decoder, detectEncoding, type Encoding } from './encoding.ts';
import { restoreNeutralized } from './csv.ts';
import type { CellValue } from './text.ts';
import { t } from '@moral-registry/common';

export interface RawRow {
  /** 1-based row number as a spreadsheet program shows it. */
  number: number;
  cells: CellValue[];
}

export interface Source {
  format: 'csv' | 'xlsx';
  /** CSV only. */
  encoding: Encoding | null;
  totalBytes: number;
  bytesRead(): number;
  rows: AsyncIterable<RawRow>;
  /** Stops reading early (the rest of the file is not needed). */
  close(): void;
}

export interface SourceOptions {
  /** CSV: the encoding (detected when absent). */
  encoding?: Encoding;
  /** CSV: the field delimiter (discovered among `,` `;` tab when absent). */
  delimiter?: string;
  /** XLSX: the worksheet, by 1-based position or name (the first when absent). */
  sheet?: string;
  /** XLSX: how much the workbook may make us hold (defaults: DEFAULT_XLSX_LIMITS). */
  xlsxLimits?: Partial<XlsxLimits>;
}

export function formatOf(file: string): 'csv' | 'xlsx' {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.xlsx' || ext === '.xlsm') return 'xlsx';
  if (ext === '.csv' || ext === '.txt' || ext === '.tsv') return 'csv';
  if (ext === '.xls') throw new Error(t('cli.read.xls', { file: path.basename(file) }));
  throw new Error(t('cli.read.notSpreadsheet', { file: path.basename(file) }));
}

export async function openSource(file: string, options: SourceOptions = {}): Promise<Source> {
  const totalBytes = statSync(file).size;
  return formatOf(file) === 'csv' ? openCsv(file, totalBytes, options) : openXlsx(file, totalBytes, options);
}

const DELIMITERS = [',', ';', '\t', '|'];

/** Occurrences of `delimiter` in a line, outside double quotes. */
function countOutside(line: string, delimiter: string): number {
  let n = 0;
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === delimiter && !quoted) n++;
  }
  return n;
}

/**
 * The field delimiter of a CSV from its first lines: the candidate that most lines use the same
 * number of times (a comma file whose lists use `;` still has the same number of commas per line).
 */
export function guessDelimiter(sample: string): string {
  const lines = sample
    .split(/\r?\n/)
    .slice(0, 30)
    .filter((l) => l.trim());
  let best = ',';
  let bestScore = 0;
  for (const delimiter of DELIMITERS) {
    const freq = new Map<number, number>();
    for (const line of lines) {
      const n = countOutside(line, delimiter);
      if (n > 0) freq.set(n, (freq.get(n) ?? 0) + 1);
    }
    for (const [count, lineCount] of freq) {
      const score = lineCount * 1000 + count;
      if (score > bestScore) [best, bestScore] = [delimiter, score];
    }
  }
  return best;
}

async function sampleText(file: string, encoding: Encoding): Promise<string> {
  const handle = await open(file);
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return iconv.decode(buffer.subarray(0, bytesRead), encoding === 'utf-8' ? 'utf8' : 'windows874');
  } finally {
    await handle.close();
  }
}

async function openCsv(file: string, totalBytes: number, options: SourceOptions): Promise<Source> {
  const encoding = options.encoding ?? (await detectEncoding(file));
  const input = createReadStream(file, { highWaterMark: 64 * 1024 });
  const parser = parse({
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    delimiter: options.delimiter
      ? options.delimiter === '\\t'
        ? '\t'
        : options.delimiter
      : guessDelimiter(await sampleText(file, encoding)),
  });
  pipeline(input, decoder(encoding), parser, () => {});
  async function* rows(): AsyncGenerator<RawRow> {
    let number = 0;
    // A cell our own CSV writer neutralised ('=…) is read as what it was (see csv.ts).
    for await (const record of parser as AsyncIterable<string[]>) yield { number: ++number, cells: record.map(restoreNeutralized) };
  }
  return {
    format: 'csv',
    encoding,
    totalBytes,
    bytesRead: () => input.bytesRead,
    rows: rows(),
    close: () => input.destroy(),
  };
}

/** An exceljs cell value as a plain value: rich text joined, formulas by their result, hyperlinks by their text. */
export function plainCell(value: unknown): CellValue {
  if (value === null || value === undefined) return null;
  // An apostrophe before a formula start is the neutralisation of csv.ts, kept by a spreadsheet that
  // opened our CSV and saved it as XLSX.
  if (typeof value === 'string') return restoreNeutralized(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) return value;
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v.richText)) return (v.richText as { text: string }[]).map((t) => t.text).join('');
    if ('result' in v) return plainCell(v.result);
    if ('formula' in v || 'sharedFormula' in v) return null;
    if ('text' in v) return plainCell(v.text);
    if ('error' in v) return null;
  }
  return String(value);
}

async function openXlsx(file: string, totalBytes: number, options: SourceOptions): Promise<Source> {
  const input = createReadStream(file, { highWaterMark: 256 * 1024 });
  // styles: 'cache' so date-formatted cells arrive as Dates rather than serial numbers.
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    entries: 'ignore',
  });
  const wanted = options.sheet;
  async function* rows(): AsyncGenerator<RawRow> {
    let position = 0;
    let found = false;
    // Every sheet is read to its end (not returned from early: that made exceljs's next archive
    // lose its workbook part now and then), so exceljs finishes the archive and removes the
    // temporary files it writes for sheets stored before the shared strings.
    for await (const worksheet of workbook) {
      position++;
      const name = (worksheet as unknown as { name?: string }).name;
      if (found || (wanted ? String(position) !== wanted && name !== wanted : position > 1)) {
        for await (const _ of worksheet);
        continue;
      }
      found = true;
      for await (const row of worksheet) {
        const values = row.values as unknown[];
        const cells: CellValue[] = [];
        for (let i = 1; i < values.length; i++) cells.push(plainCell(values[i]));
        yield { number: row.number, cells };
      }
    }
    if (!found) throw new Error(t('cli.read.noSheet', { file: path.basename(file), sheet: wanted ? ` "${wanted}"` : '' }));
  }
  // exceljs inflates and parses inside each step of the iteration: every step runs against this workbook's budget.
  const budget = newXlsxBudget(options.xlsxLimits);
  const inner = rows();
  const bounded: AsyncGenerator<RawRow> = {
    next: () => withXlsxBudget(budget, () => inner.next()),
    return: (value) => withXlsxBudget(budget, () => inner.return(value)),
    throw: (error) => withXlsxBudget(budget, () => inner.throw(error)),
    [Symbol.asyncIterator]() {
      return this;
    },
  } as AsyncGenerator<RawRow>;
  return {
    format: 'xlsx',
    encoding: null,
    totalBytes,
    bytesRead: () => input.bytesRead,
    rows: bounded,
    close: () => input.destroy(),
  };
}
