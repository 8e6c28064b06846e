/**
 * How much memory reading a hostile XLSX takes, with the importer's default limits (docs/SECURITY.md,
 * "Spreadsheet imports"). Builds the files a security probe used (streamed, so building them takes
 * little memory) and reads each in a fresh process, printing whether the read stopped, its message and
 * the process's peak resident memory. A figure to put in docs/SECURITY.md, not a test: it takes minutes.
 *
 *   npx tsx scripts/check-xlsx-memory.ts [--cell-mb 200] [--shared-strings 20000000] [--runs 2000000]
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import JSZip from 'jszip';
import { openSource } from '@moral-registry/spreadsheets';

const HEAD = '<?xml version="1.0" encoding="UTF-8"?>';
const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** XML streamed from a generator of pieces. */
function xml(pieces: () => Generator<string>): Readable {
  return Readable.from(pieces(), { objectMode: false });
}

async function writeXlsx(file: string, sharedStrings: () => Generator<string>, cells: number): Promise<void> {
  const zip = new JSZip();
  zip.file(
    '[Content_Types].xml',
    `${HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`,
  );
  zip.file(
    '_rels/.rels',
    `${HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
  );
  zip.file(
    'xl/workbook.xml',
    `${HEAD}<workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets><sheet name="ข้อมูล" sheetId="1" r:id="rId1"/></sheets></workbook>`,
  );
  zip.file(
    'xl/_rels/workbook.xml.rels',
    `${HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
  );
  zip.file(
    'xl/sharedStrings.xml',
    xml(function* () {
      yield `${HEAD}<sst xmlns="${MAIN}">`;
      yield* sharedStrings();
      yield '</sst>';
    }),
  );
  zip.file(
    'xl/worksheets/sheet1.xml',
    xml(function* () {
      yield `${HEAD}<worksheet xmlns="${MAIN}"><sheetData>`;
      for (let i = 0; i < cells; i++) yield `<row r="${i + 1}"><c r="A${i + 1}" t="s"><v>${i}</v></c></row>`;
      yield '</sheetData></worksheet>';
    }),
  );
  const out = createWriteStream(file);
  zip.generateNodeStream({ type: 'nodebuffer', streamFiles: true, compression: 'DEFLATE', compressionOptions: { level: 9 } }).pipe(out);
  await finished(out);
}

/** Child mode: read one file to its end with the default limits; print the outcome and peak RSS. */
async function readOne(file: string): Promise<void> {
  let outcome = 'read to the end';
  try {
    const source = await openSource(file);
    for await (const _ of source.rows);
  } catch (error) {
    outcome = `stopped: ${(error as Error).message}`;
  }
  console.log(JSON.stringify({ outcome, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      read: { type: 'string' },
      'cell-mb': { type: 'string', default: '200' },
      'shared-strings': { type: 'string', default: '20000000' },
      runs: { type: 'string', default: '2000000' },
    },
  });
  if (values.read) return readOne(values.read);
  const dir = mkdtempSync(path.join(tmpdir(), 'xlsx-memory-'));
  const cellMb = Number(values['cell-mb']);
  const strings = Number(values['shared-strings']);
  const runs = Number(values.runs);
  const cases: [string, () => Generator<string>, number][] = [
    [
      `one cell of ${cellMb} MB`,
      function* () {
        yield '<si><t>';
        const chunk = 'ก'.repeat(1 << 16);
        for (let i = 0; i < (cellMb * 1024 * 1024) / (chunk.length * 3); i++) yield chunk;
        yield '</t></si>';
      },
      1,
    ],
    [
      `${strings.toLocaleString('en')} shared strings`,
      function* () {
        for (let i = 0; i < strings; i++) yield `<si><t>${i}</t></si>`;
      },
      1,
    ],
    [
      `${runs.toLocaleString('en')} formatted runs in one string`,
      function* () {
        yield '<si>';
        for (let i = 0; i < runs; i++) yield '<r><rPr><b/></rPr><t>ก</t></r>';
        yield '</si>';
      },
      1,
    ],
  ];
  console.log('| file | size | outcome | peak RSS |');
  console.log('| --- | --- | --- | --- |');
  try {
    for (const [name, shared, cells] of cases) {
      const file = path.join(dir, `${name.replace(/\W+/g, '-')}.xlsx`);
      await writeXlsx(file, shared, cells);
      const answer = execFileSync(process.execPath, ['--import', 'tsx', import.meta.filename, '--read', file], { encoding: 'utf8' });
      const { outcome, peakRssMb } = JSON.parse(answer.trim().split('\n').at(-1)!) as { outcome: string; peakRssMb: number };
      console.log(`| ${name} | ${Math.round(statSync(file).size / 1024)} KB | ${outcome} | ${peakRssMb} MB |`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
