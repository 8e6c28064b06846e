/**
 * Every CSV this project writes (exports, import error files, templates) goes through `csvWriter`, so
 * no cell can run as a spreadsheet formula (CSV injection, OWASP): a text cell that starts with
 * `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading apostrophe, which Excel, LibreOffice
 * and Google Sheets show as text. Numbers (JavaScript numbers: counts, years) are written as they
 * are, since a number is never evaluated; a name such as "-2+3" is text and is neutralised.
 *
 * Reading a file back, `restoreNeutralized` removes exactly that apostrophe again, so an export or an
 * error file imported again stores what it showed.
 */
import { stringify, type Options } from 'csv-stringify';

/** Leading characters a spreadsheet evaluates (OWASP "CSV Injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A cell that `neutralize` wrote: an apostrophe before a formula start. */
const NEUTRALIZED = /^'(?=[=+\-@\t\r])/;

export function neutralize(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

export function restoreNeutralized(text: string): string {
  return text.replace(NEUTRALIZED, '');
}

/** csv-stringify with every text cell neutralised (booleans as `true`/`false`). */
export function csvWriter(options: Omit<Options, 'cast'> = {}): ReturnType<typeof stringify> {
  return stringify({
    ...options,
    cast: {
      string: (value) => neutralize(value),
      boolean: (value) => (value ? 'true' : 'false'),
    },
  });
}
