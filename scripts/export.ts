/**
 * Exports open data for data.go.th (docs/IMPORT.md):
 *   npm run export -- --what provinces|agencies|activities|recognitions|comparison --fiscal-year 2565
 *       --format csv|xlsx|json [--province TH-14] [--region NORTH] [--include-synthetic] [--out exports]
 *       [--url URL] [--token JWT | --api-key KEY] [--lang th|en]
 * Writes <what>[-<province or region>][-fy<year>].<format> and the same name with .metadata.json
 * (catalogue fields). Contact details are never exported; synthetic records only with
 * --include-synthetic. The gateway serves the same files at /exports/<what>.<format> (same code).
 */
import path from 'node:path';
import { t } from '@moral-registry/common';
import { EXPORTS, exportData, runCommand, type CommandLine, type ExportFormat, type ExportWhat } from '@moral-registry/spreadsheets';

/** The usage text in the command's language (set from --lang before anything is said). */
const usage = () => t('cli.export.usage', { whats: EXPORTS.join('|') });

/** Paths are the user's: relative to where `npm run` was typed, not to the project root. */
const here = (p: string) => path.resolve(process.env.INIT_CWD ?? process.cwd(), p);

/** The command's own options (runCommand adds --lang and --help). */
const config = {
  options: {
    what: { type: 'string' },
    'fiscal-year': { type: 'string' },
    format: { type: 'string', default: 'csv' },
    province: { type: 'string' },
    region: { type: 'string' },
    'include-synthetic': { type: 'boolean', default: false },
    out: { type: 'string', default: 'exports' },
    url: { type: 'string' },
    token: { type: 'string' },
    'api-key': { type: 'string' },
  },
} as const;

async function main({ values }: CommandLine<typeof config>): Promise<number> {
  const result = await exportData({
    what: (values.what ?? '') as ExportWhat,
    format: values.format as ExportFormat,
    fiscalYear: values['fiscal-year'] ?? null,
    province: values.province,
    region: values.region,
    includeSynthetic: values['include-synthetic'],
    out: here(values.out!),
    url: values.url,
    token: values.token,
    apiKey: values['api-key'],
  });
  console.log(t('cli.export.summary', { file: result.file, rows: result.rows, excluded: result.syntheticExcluded }));
  console.log(t('cli.wrote', { file: result.metadataFile }));
  return 0;
}

await runCommand('export', usage, config, main);
