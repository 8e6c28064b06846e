/**
 * Exports open data for data.go.th (docs/IMPORT.md):
 *   npm run export -- --what provinces|agencies|activities|recognitions|comparison --fiscal-year 2565
 *       --format csv|xlsx|json [--province TH-14] [--include-synthetic] [--out exports] [--url URL] [--token JWT]
 * Writes <what>[-<province>][-fy<year>].<format> and the same name with .metadata.json (catalogue
 * fields). Contact details are never exported; synthetic records only with --include-synthetic.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ApiUnavailable, EXPORTS, UsageError, exportData, type ExportFormat, type ExportWhat } from '@moral-registry/spreadsheets';

const USAGE = `usage: npm run export -- --what ${EXPORTS.join('|')} --fiscal-year 2565 --format csv|xlsx|json
      [--province TH-14] [--include-synthetic] [--out exports] [--url URL] [--token JWT | --api-key KEY]`;

const here = (p: string) => path.resolve(process.env.INIT_CWD ?? process.cwd(), p);

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      what: { type: 'string' },
      'fiscal-year': { type: 'string' },
      format: { type: 'string', default: 'csv' },
      province: { type: 'string' },
      'include-synthetic': { type: 'boolean', default: false },
      out: { type: 'string', default: 'exports' },
      url: { type: 'string' },
      token: { type: 'string' },
      'api-key': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values.what || !(EXPORTS as readonly string[]).includes(values.what))
    throw new UsageError(`--what must be one of ${EXPORTS.join(', ')}`);
  const fiscalYear = values['fiscal-year'] === undefined ? null : Number(values['fiscal-year']);
  if (fiscalYear !== null && !Number.isInteger(fiscalYear)) throw new UsageError('--fiscal-year must be a Buddhist Era year, e.g. 2565');
  const result = await exportData({
    what: values.what as ExportWhat,
    format: values.format as ExportFormat,
    fiscalYear,
    province: values.province,
    includeSynthetic: values['include-synthetic'],
    out: here(values.out!),
    url: values.url,
    token: values.token,
    apiKey: values['api-key'],
  });
  console.log(
    `wrote ${result.file} (${result.rows} rows${result.syntheticExcluded ? `, ${result.syntheticExcluded} synthetic records left out` : ''})`,
  );
  console.log(`wrote ${result.metadataFile}`);
  return 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  if (error instanceof UsageError || error instanceof ApiUnavailable || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    console.error(`export: ${(error as Error).message}`);
    if (!(error instanceof ApiUnavailable)) console.error(USAGE);
  } else console.error(error);
  process.exitCode = 2;
}
