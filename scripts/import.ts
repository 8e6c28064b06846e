/**
 * Imports a spreadsheet through the API (docs/IMPORT.md):
 *   npm run import -- <file.xlsx|file.csv> --type agencies|people|activities|recognitions
 *       [--province TH-14] [--dry-run] [--all-or-nothing] [--token JWT | --api-key KEY] [--url URL]
 *       [--encoding utf-8|windows-874] [--delimiter ';'] [--sheet N] [--synthetic] [--batch-size 500]
 *       [--concurrency 2] [--progress auto|bar|lines|none] [--no-error-file] [--lang th|en]
 *   npm run import -- --template agencies [--out DIR]
 * Exit code 0: nothing rejected; 1: some rows rejected (see the log and <name>.errors.csv); 2: wrong
 * options, an unreadable file, or the API unreachable or refusing the credentials.
 */
import path from 'node:path';
import { readEnv, t } from '@moral-registry/common';
import {
  IMPORT_TYPES,
  UsageError,
  encodingArg,
  formatSummary,
  importFile,
  runCommand,
  writeTemplates,
  type CommandLine,
  type ImportTypeName,
  type ProgressMode,
} from '@moral-registry/spreadsheets';

/** The usage text in the command's language (set from --lang before anything is said). */
const usage = () => t('cli.import.usage', { types: IMPORT_TYPES.join('|') });

/** Paths are the user's: relative to where `npm run` was typed, not to the project root. */
const here = (p: string) => path.resolve(process.env.INIT_CWD ?? process.cwd(), p);

/** The command's own options (runCommand adds --lang and --help). */
const config = {
  allowPositionals: true,
  options: {
    type: { type: 'string' },
    template: { type: 'string' },
    out: { type: 'string' },
    province: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    'all-or-nothing': { type: 'boolean', default: false },
    token: { type: 'string' },
    'api-key': { type: 'string' },
    url: { type: 'string' },
    encoding: { type: 'string' },
    delimiter: { type: 'string' },
    sheet: { type: 'string' },
    synthetic: { type: 'boolean', default: false },
    'batch-size': { type: 'string' },
    concurrency: { type: 'string' },
    progress: { type: 'string', default: 'auto' },
    'no-error-file': { type: 'boolean', default: false },
  },
} as const;

async function main({ values, positionals }: CommandLine<typeof config>): Promise<number> {
  const isType = (t: string | undefined): t is ImportTypeName => !!t && (IMPORT_TYPES as readonly string[]).includes(t);

  if (values.template !== undefined) {
    if (!isType(values.template)) throw new UsageError(t('cli.import.templateType', { types: IMPORT_TYPES.join(', ') }));
    for (const file of await writeTemplates(values.template, here(values.out ?? '.'))) console.log(t('cli.wrote', { file }));
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(t('cli.import.oneFile'));
  if (!isType(values.type)) throw new UsageError(t('cli.import.typeOneOf', { types: IMPORT_TYPES.join(', ') }));
  if (!['auto', 'bar', 'lines', 'none'].includes(values.progress!)) throw new UsageError(t('cli.import.progress'));
  const number = (name: string, value: string | undefined) => {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(t('cli.wholeNumberOption', { name }));
    return n;
  };

  const env = readEnv();
  const summary = await importFile({
    file: here(positionals[0]!),
    type: values.type,
    url: values.url,
    token: values.token,
    apiKey: values['api-key'],
    province: values.province,
    dryRun: values['dry-run'],
    allOrNothing: values['all-or-nothing'],
    synthetic: values.synthetic,
    encoding: values.encoding ? encodingArg(values.encoding) : undefined,
    delimiter: values.delimiter,
    sheet: values.sheet,
    xlsxLimits: {
      maxCellChars: env.XLSX_MAX_CELL_CHARS,
      maxSharedStrings: env.XLSX_MAX_SHARED_STRINGS,
      maxInflatedBytes: env.XLSX_MAX_INFLATED_BYTES,
    },
    batchSize: number('batch-size', values['batch-size']),
    concurrency: number('concurrency', values.concurrency),
    progress: values.progress as ProgressMode,
    errorFile: values['no-error-file'] ? false : undefined,
  });
  for (const line of formatSummary(summary)) console.log(line);
  return summary.rejected > 0 ? 1 : 0;
}

await runCommand('import', usage, config, main);
