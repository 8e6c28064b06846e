/**
 * The three file formats, written row by row to any Writable (a file for the command, the HTTP
 * response for the gateway), never holding the file in memory: CSV in UTF-8 with a BOM (so Excel
 * shows Thai) with every formula-like cell neutralised (csv.ts), XLSX through exceljs's streaming
 * WorkbookWriter, and JSON as an array of objects, one per line.
 *
 * Byte for byte the same file for the same rows: the XLSX's own dates (docProps/core.xml) and the
 * dates of the entries in its zip are pinned to `date` instead of the time of writing.
 */
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { csvWriter } from '../csv.ts';
import ExcelJS from '../exceljs.ts';
import type { ExportFormat, Row } from './types.ts';

export interface WriteOptions {
  /** The columns, in order. */
  columns: string[];
  /** XLSX: the worksheet's name. */
  sheetName: string;
  /** XLSX: the workbook's created/modified dates and its zip entries' dates. */
  date: Date;
}

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  json: 'application/json; charset=utf-8',
};

/** Writes `rows` (each with exactly `columns`, in order) to `out` as `format`, and ends `out`. */
export async function writeRows(format: ExportFormat, rows: AsyncIterable<Row>, out: Writable, options: WriteOptions): Promise<void> {
  if (format === 'csv') await pipeline(rows, csvWriter({ bom: true, header: true, columns: options.columns }), out);
  else if (format === 'json') await pipeline(rows, jsonArray, out);
  else await writeXlsx(rows, out, options);
}

/** `[`, one object per line, `]`: an array a person can read and a program can parse. */
async function* jsonArray(rows: AsyncIterable<Row>): AsyncGenerator<string> {
  let first = true;
  for await (const row of rows) {
    yield `${first ? '[\n' : ',\n'}  ${JSON.stringify(row)}`;
    first = false;
  }
  yield first ? '[]\n' : '\n]\n';
}

/** exceljs's zip (archiver) stamps each entry with the time it was added. */
interface Archive {
  append(source: unknown, data: { name: string; date?: Date }): unknown;
}

const WorkbookWriter = ExcelJS.stream.xlsx.WorkbookWriter as unknown as new (options: object) => InstanceType<
  typeof ExcelJS.stream.xlsx.WorkbookWriter
> & {
  created: Date;
  zip: Archive;
  addThemes(): Promise<void>;
  addOfficeRels(): Promise<void>;
};

/**
 * A WorkbookWriter whose zip entries carry the workbook's `created` date. Its constructor adds the
 * first entries (theme, relationships) through addThemes/addOfficeRels, right after making the zip:
 * the date is pinned there, before anything is added.
 */
class PinnedDatesWorkbookWriter extends WorkbookWriter {
  private pinned = false;
  private pinDates() {
    if (this.pinned) return;
    this.pinned = true;
    const zip = this.zip;
    const append = zip.append.bind(zip);
    zip.append = (source, data) => append(source, { ...data, date: this.created });
  }
  override addThemes() {
    this.pinDates();
    return super.addThemes();
  }
  override addOfficeRels() {
    this.pinDates();
    return super.addOfficeRels();
  }
}

async function writeXlsx(rows: AsyncIterable<Row>, out: Writable, options: WriteOptions): Promise<void> {
  const workbook = new PinnedDatesWorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
    created: options.date,
    modified: options.date,
    creator: 'ทะเบียนเครือข่ายคุณธรรม',
    lastModifiedBy: 'ทะเบียนเครือข่ายคุณธรรม',
  });
  const failed = new Promise<never>((_resolve, reject) => out.once('error', reject));
  failed.catch(() => undefined);
  const sheet = workbook.addWorksheet(options.sheetName);
  sheet.columns = options.columns.map((name) => ({ header: name, key: name, width: Math.max(12, name.length + 2) }));
  for await (const row of rows) {
    sheet.addRow(row).commit();
    // exceljs has no backpressure of its own: wait while the output (a slow client) is behind.
    if (out.writableNeedDrain) await Promise.race([drained(out), failed]);
  }
  sheet.commit();
  await Promise.race([workbook.commit(), failed]);
}

/** The output has drained; rejects if it closes first (a client that went away). */
function drained(out: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const onDrain = () => {
      out.off('close', onClose);
      resolve();
    };
    const onClose = () => {
      out.off('drain', onDrain);
      reject(new Error('the output closed before the export was written'));
    };
    out.once('drain', onDrain);
    out.once('close', onClose);
  });
}
