/**
 * Finds the header row(s) of a sheet and turns its data rows into the batch mutation's row inputs.
 *
 * Headers: among the first rows, the row that names the most known columns is the header; the rows
 * right next to it that also name known columns are header rows too (templates have a Thai and an
 * English row). Rows above them (titles, merged group labels spanning several columns) are skipped.
 * A column is known by its Thai header, its English header or an alias (columns.ts); unknown columns
 * are reported once and ignored.
 */
import { ERROR_COLUMNS, enumValue, headerIndex, type ColumnSpec, type EnumLabels, type ImportType } from './columns.ts';
import type { Reference } from './reference.ts';
import type { RawRow } from './read.ts';
import {
  CellProblem,
  cellText,
  cleanText,
  headerKey,
  isBlank,
  parseCount,
  parseDate,
  parseFiscalYear,
  phoneText,
  splitList,
  type CellValue,
} from './text.ts';
import { t } from '@moral-registry/common';

/** How many rows from the top are searched for the header. */
export const HEADER_SEARCH_ROWS = 15;

export interface Header {
  /** The header rows as the file has them (text), in order, for the error file. */
  rows: string[][];
  /** Row number of the last header row; data starts after it. */
  lastRow: number;
  /** Column index → the mapped column. */
  columns: Map<number, ColumnSpec>;
  /** Field → the header text the file uses for it (for messages). */
  headerOf: Map<string, string>;
  /** Number of columns of the header (data cells beyond are kept for the error file). */
  width: number;
  warnings: string[];
}

export class HeaderNotFound extends Error {}

const columnLetter = (index: number): string => {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
};

/** Looks for the header among the first rows; returns it with the rows after it that were already read. */
export function findHeader(type: ImportType, firstRows: RawRow[]): { header: Header; rest: RawRow[] } {
  const { fields, ignored } = headerIndex(type);
  const score = (row: RawRow) => row.cells.filter((c) => typeof c === 'string' && fields.has(headerKey(c))).length;
  const scores = firstRows.map(score);
  const best = Math.max(0, ...scores);
  if (best === 0) {
    throw new HeaderNotFound(
      t('cli.import.noHeader', {
        rows: HEADER_SEARCH_ROWS,
        type: type.name,
        columns: type.columns.map((c) => `${c.th} / ${c.en}`).join(', '),
      }),
    );
  }
  let first = scores.indexOf(best);
  let last = first;
  const isHeader = (i: number) => i >= 0 && i < firstRows.length && scores[i]! >= Math.max(1, Math.ceil(best / 2));
  while (isHeader(first - 1)) first--;
  while (isHeader(last + 1)) last++;

  const headerRows = firstRows.slice(first, last + 1);
  const columns = new Map<number, ColumnSpec>();
  const headerOf = new Map<string, string>();
  const warnings: string[] = [];
  const width = Math.max(...headerRows.map((r) => r.cells.length));
  for (let i = 0; i < width; i++) {
    const texts = headerRows.map((r) => cleanText(cellText(r.cells[i] ?? null))).filter(Boolean);
    if (texts.length === 0) continue;
    const spec = texts.map((t) => fields.get(headerKey(t))).find(Boolean);
    if (!spec) {
      if (!texts.some((t) => ignored.has(headerKey(t))))
        warnings.push(t('cli.import.columnIgnored', { column: columnLetter(i), header: texts.join(' / '), type: type.name }));
      continue;
    }
    if (headerOf.has(spec.field)) {
      warnings.push(
        t('cli.import.columnRepeats', { column: columnLetter(i), header: texts.join(' / '), first: headerOf.get(spec.field) ?? '' }),
      );
      continue;
    }
    columns.set(i, spec);
    headerOf.set(spec.field, texts[0]!);
  }
  const missing = type.columns.filter((c) => c.required && !headerOf.has(c.field));
  if (missing.length) {
    throw new HeaderNotFound(t('cli.import.missingColumns', { columns: missing.map((c) => `${c.th} (${c.en})`).join(', ') }));
  }
  return {
    header: {
      rows: headerRows.map((r) => Array.from({ length: width }, (_, i) => cellText(r.cells[i] ?? null))),
      lastRow: headerRows.at(-1)!.number,
      columns,
      headerOf,
      width,
      warnings,
    },
    rest: firstRows.slice(last + 1),
  };
}

/** One problem of one row, before or after the API saw it. */
export interface RowProblem {
  /** The row input field (or `row`, or an error code such as FORBIDDEN). */
  field: string;
  message: string;
}

export interface ConvertContext {
  reference: Reference;
  /** The province of rows whose province cell is empty or that have no province column (`--province`). */
  defaultProvince: string | null;
}

function enumCode(labels: EnumLabels, value: string): string {
  const code = enumValue(labels, value);
  if (code) return code;
  const accepted = Object.entries(labels).map(([c, names]) => (names[0] ? `${c} (${names[0]})` : c));
  throw new CellProblem(t('cell.notOneOf', { value, accepted: accepted.join(', ') }));
}

/**
 * A data row as the mutation's row input, or the problems that keep it from the API. A column the
 * file has and a row leaves empty is sent as null (it clears an optional field); a column the file
 * does not have is not sent (the stored value stays).
 */
export function convertRow(
  type: ImportType,
  header: Header,
  cells: readonly CellValue[],
  context: ConvertContext,
): { input: Record<string, unknown> | null; problems: RowProblem[] } {
  const input: Record<string, unknown> = {};
  const problems: RowProblem[] = [];
  const cellOf = new Map<string, CellValue>();
  for (const [i, spec] of header.columns) cellOf.set(spec.field, cells[i] ?? null);

  // The province first: districts and recipients are resolved in it.
  const provinceSpec = type.columns.find((c) => c.value.kind === 'province');
  if (provinceSpec) {
    const cell = cellOf.get(provinceSpec.field);
    if (cell !== undefined && !isBlank(cell)) {
      try {
        input.provinceCode = context.reference.province(cellText(cell));
      } catch (error) {
        if (!(error instanceof CellProblem)) throw error;
        problems.push({ field: 'provinceCode', message: error.message });
      }
    } else if (context.defaultProvince) input.provinceCode = context.defaultProvince;
    else if (cell !== undefined) input.provinceCode = null;
  }
  const province = (input.provinceCode as string | null | undefined) ?? null;

  const provinceFailed = problems.length > 0;
  for (const spec of type.columns) {
    if (spec.value.kind === 'province') continue;
    // A district of an unknown province can't be checked: the province's problem is the one to fix.
    if (provinceFailed && spec.value.kind === 'district') continue;
    const cell = cellOf.get(spec.field);
    if (cell === undefined) continue;
    if (isBlank(cell)) {
      if (spec.required) problems.push({ field: spec.field, message: t('cell.required') });
      else input[spec.field] = spec.value.kind === 'enumList' || spec.value.kind === 'nameList' ? [] : null;
      continue;
    }
    try {
      input[spec.field] = convertCell(spec, cell, province, input, context.reference);
    } catch (error) {
      if (!(error instanceof CellProblem)) throw error;
      problems.push({ field: spec.field, message: error.message });
    }
  }
  return problems.length ? { input: null, problems } : { input, problems };
}

function convertCell(
  spec: ColumnSpec,
  cell: CellValue,
  province: string | null,
  row: Record<string, unknown>,
  reference: Reference,
): unknown {
  const value = spec.value;
  switch (value.kind) {
    case 'text':
      return cleanText(cellText(cell));
    case 'phone':
      return phoneText(cell);
    case 'district':
      return reference.district(cellText(cell), province);
    case 'sector':
      return reference.sector(cellText(cell));
    case 'enum':
      return enumCode(value.labels, cleanText(cellText(cell)));
    case 'enumList':
      return [...new Set(splitList(cell, 'codes').map((v) => enumCode(value.labels, v)))];
    case 'nameList':
      return splitList(cell, 'names');
    case 'date':
      return parseDate(cell);
    case 'count':
      return parseCount(cell);
    case 'fiscalYear':
      return parseFiscalYear(cell);
    case 'recipient': {
      const text = cleanText(cellText(cell));
      return row.recipientKind === 'PROVINCE' ? reference.province(text) : text;
    }
    case 'province':
      return reference.province(cellText(cell));
  }
}

/** The header of the error file: the input's header rows plus the importer's two columns. */
export function errorFileHeader(header: Header): string[][] {
  const rows = header.rows.map((r) => [...r]);
  const english = (r: string[]) => {
    const named = r.filter(Boolean);
    return named.length > 0 && named.filter((t) => /^[\x20-\x7e]+$/.test(t)).length > named.length / 2;
  };
  return rows.map((r) => [
    ...r,
    english(r) ? ERROR_COLUMNS.row.en : ERROR_COLUMNS.row.th,
    english(r) ? ERROR_COLUMNS.reasons.en : ERROR_COLUMNS.reasons.th,
  ]);
}
