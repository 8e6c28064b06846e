/**
 * exceljs, loaded with one fix: its streaming reader decodes every chunk of a sheet's XML on its own
 * (lib/utils/parse-sax.js, a shared TextDecoder without `stream: true`), so a Thai character whose
 * three UTF-8 bytes straddle two chunks becomes "���" (exceljs issues #2063, #2084, #2316; the fixes
 * #1665, #1821, #2894 are not merged in 4.4.0). Before exceljs is loaded, its parse-sax module is
 * put in the require cache as the same parser with one streaming TextDecoder per XML stream.
 * Everything in this package imports exceljs from here.
 *
 * The same parser bounds what a workbook may make us hold in memory (docs/SECURITY.md, "Spreadsheet
 * imports"): a zip of a few hundred kilobytes can inflate to gigabytes of XML, one cell can hold
 * hundreds of megabytes of text, and exceljs keeps every shared string (and each formatted run of it)
 * in memory. Over a limit the read stops with XlsxTooLarge, saying which limit and how to change it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import Module, { createRequire } from 'node:module';

export interface XlsxLimits {
  /** Characters in one cell (text node); Excel's own limit is 32,767. */
  maxCellChars: number;
  /** Shared strings plus their formatted runs, over the workbook. */
  maxSharedStrings: number;
  /** Bytes of XML inflated from the zip, over the workbook. */
  maxInflatedBytes: number;
}

export const DEFAULT_XLSX_LIMITS: XlsxLimits = {
  maxCellChars: 32_767,
  maxSharedStrings: 1_000_000,
  maxInflatedBytes: 256 * 1024 * 1024,
};

export class XlsxTooLarge extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XlsxTooLarge';
  }
}

/** What one workbook read has used so far. */
class Budget {
  inflatedBytes = 0;
  sharedStrings = 0;
  constructor(readonly limits: XlsxLimits) {}
}

const budgets = new AsyncLocalStorage<Budget>();

/**
 * Runs `step` (one step of reading a workbook) against that workbook's budget. Every step of one
 * read must pass the same `budget` (see newXlsxBudget): exceljs parses lazily, inside the steps.
 */
export function withXlsxBudget<T>(budget: object, step: () => T): T {
  return budgets.run(budget as Budget, step);
}

export function newXlsxBudget(limits: Partial<XlsxLimits> = {}): object {
  return new Budget({ ...DEFAULT_XLSX_LIMITS, ...limits });
}

/** Raw characters of one text node: entities (`&#x0E01;`, 8 characters for one) make it longer than the text. */
const RAW_PER_CHAR = 10;

type ExcelJSModule = typeof import('exceljs');

const require = createRequire(import.meta.url);
const PARSE_SAX = require.resolve('exceljs/lib/utils/parse-sax.js');
const READER = require.resolve('exceljs/lib/stream/xlsx/workbook-reader.js');
const fromExceljs = createRequire(PARSE_SAX);
const { SaxesParser } = fromExceljs('saxes') as { SaxesParser: new () => SaxParser };
const { PassThrough } = fromExceljs('readable-stream') as { PassThrough: new () => NodeJS.ReadWriteStream };

interface SaxParser {
  on(event: 'error' | 'opentag' | 'text' | 'closetag', listener: (value: any) => void): void;
  write(text: string): void;
}
type SaxEvent = { eventType: 'opentag' | 'text' | 'closetag'; value: unknown };

/** exceljs's parse-sax, decoding each stream with its own streaming TextDecoder. */
async function* parseSax(iterable: unknown): AsyncGenerator<SaxEvent[]> {
  // Old-style streams are upgraded as exceljs does.
  const stream = iterable as { pipe?: (to: NodeJS.ReadWriteStream) => unknown; [Symbol.asyncIterator]?: unknown };
  const source = (
    typeof stream.pipe === 'function' && !stream[Symbol.asyncIterator] ? stream.pipe(new PassThrough()) : iterable
  ) as AsyncIterable<Buffer | string>;
  const parser = new SaxesParser();
  const decoder = new TextDecoder('utf-8');
  // Reads outside withXlsxBudget (none in this package) are still bounded, per XML part.
  const budget = budgets.getStore() ?? new Budget(DEFAULT_XLSX_LIMITS);
  const { limits } = budget;
  let error: unknown;
  let events: SaxEvent[] = [];
  /** Raw characters since the last `<`: the text node being read, which saxes holds until it ends. */
  let textRun = 0;
  parser.on('error', (e) => (error = e));
  // saxes keeps one handler per event: the limits are checked in the handlers that collect the events.
  parser.on('opentag', (tag: { name: string }) => {
    if ((tag.name === 'si' || tag.name === 'r') && ++budget.sharedStrings > limits.maxSharedStrings)
      error ??= new XlsxTooLarge(
        `the workbook has more than ${limits.maxSharedStrings} shared strings and formatted runs (XLSX_MAX_SHARED_STRINGS); split it into smaller files`,
      );
    events.push({ eventType: 'opentag', value: tag });
  });
  parser.on('text', (text: string) => {
    if (text.length > limits.maxCellChars) error ??= cellTooLong(limits);
    events.push({ eventType: 'text', value: text });
  });
  parser.on('closetag', (tag: unknown) => events.push({ eventType: 'closetag', value: tag }));
  const feed = (text: string) => {
    const lastTag = text.lastIndexOf('<');
    textRun = lastTag < 0 ? textRun + text.length : text.length - lastTag - 1;
    if (textRun > limits.maxCellChars * RAW_PER_CHAR) throw cellTooLong(limits);
    parser.write(text);
    if (error) throw error;
    const out = events;
    events = [];
    return out;
  };
  for await (const chunk of source) {
    budget.inflatedBytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
    if (budget.inflatedBytes > limits.maxInflatedBytes) {
      throw new XlsxTooLarge(
        `the workbook inflates to more than ${limits.maxInflatedBytes} bytes of XML (XLSX_MAX_INFLATED_BYTES); split it into smaller files`,
      );
    }
    yield feed(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
  }
  const rest = decoder.decode();
  if (rest) yield feed(rest);
}

function cellTooLong(limits: XlsxLimits): XlsxTooLarge {
  return new XlsxTooLarge(`a cell holds more than ${limits.maxCellChars} characters (XLSX_MAX_CELL_CHARS; Excel's own limit is 32,767)`);
}

if (require.cache[READER]) {
  process.emitWarning('exceljs was loaded before @moral-registry/spreadsheets: its streaming reader may garble Thai text');
} else {
  const fixed = new Module(PARSE_SAX);
  fixed.filename = PARSE_SAX;
  fixed.loaded = true;
  fixed.exports = parseSax;
  require.cache[PARSE_SAX] = fixed;
}

const ExcelJS = require('exceljs') as ExcelJSModule;
export default ExcelJS;
