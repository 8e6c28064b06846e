/**
 * exceljs, loaded with one fix: its streaming reader decodes every chunk of a sheet's XML on its own
 * (lib/utils/parse-sax.js, a shared TextDecoder without `stream: true`), so a Thai character whose
 * three UTF-8 bytes straddle two chunks becomes "���" (exceljs issues #2063, #2084, #2316; the fixes
 * #1665, #1821, #2894 are not merged in 4.4.0). Before exceljs is loaded, its parse-sax module is
 * put in the require cache as the same parser with one streaming TextDecoder per XML stream.
 * Everything in this package imports exceljs from here.
 */
import Module, { createRequire } from 'node:module';

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
  let error: unknown;
  let events: SaxEvent[] = [];
  parser.on('error', (e) => (error = e));
  for (const eventType of ['opentag', 'text', 'closetag'] as const) parser.on(eventType, (value) => events.push({ eventType, value }));
  const feed = (text: string) => {
    parser.write(text);
    if (error) throw error;
    const out = events;
    events = [];
    return out;
  };
  for await (const chunk of source) yield feed(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
  const rest = decoder.decode();
  if (rest) yield feed(rest);
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
