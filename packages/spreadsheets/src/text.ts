/**
 * What a spreadsheet cell says, read the way a Thai office writes it: Thai digits, stray and
 * non-breaking spaces, Buddhist Era dates in d/m/y, Excel date cells. Every parser returns the API's
 * form or throws a CellProblem with a reason the person fixing the file can act on.
 */
import { asciiDigits, normalizeThai, t } from '@moral-registry/common';

export { asciiDigits };

/** A value as it comes out of a CSV (always text) or an XLSX cell. */
export type CellValue = string | number | boolean | Date | null;

/** Why one cell cannot be used; the importer adds the row and the column. */
export class CellProblem extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CellProblem';
  }
}

/** The API's normalization (common/text.ts): NFC, invisible and control characters removed, spaces collapsed, trimmed. */
export function cleanText(value: string): string {
  return normalizeThai(value);
}

/** A cell as text (numbers as written, Excel dates as YYYY-MM-DD): what the error file shows. */
export function cellText(value: CellValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  return typeof value === 'string' ? value : String(value);
}

export function isBlank(value: CellValue | undefined): boolean {
  return value === null || value === undefined || (typeof value === 'string' && cleanText(value) === '');
}

/**
 * A header cell reduced to what identifies it: NFC, lower case, without spaces, underscores, dashes,
 * dots, asterisks (required marks) and colons. So `name_th`, `nameTh` and `Name TH` are one header,
 * as are `ชื่อ-นามสกุล` and `ชื่อ นามสกุล`.
 */
export function headerKey(value: string): string {
  return value
    .normalize('NFC')
    .toLowerCase()
    .replace(/[\s\u00A0\u200B_\-.*:：]+/g, '');
}

const THAI_MONTHS: readonly (readonly string[])[] = [
  ['มกราคม', 'ม.ค.', 'มค'],
  ['กุมภาพันธ์', 'ก.พ.', 'กพ'],
  ['มีนาคม', 'มี.ค.', 'มีค'],
  ['เมษายน', 'เม.ย.', 'เมย'],
  ['พฤษภาคม', 'พ.ค.', 'พค'],
  ['มิถุนายน', 'มิ.ย.', 'มิย'],
  ['กรกฎาคม', 'ก.ค.', 'กค'],
  ['สิงหาคม', 'ส.ค.', 'สค'],
  ['กันยายน', 'ก.ย.', 'กย'],
  ['ตุลาคม', 'ต.ค.', 'ตค'],
  ['พฤศจิกายน', 'พ.ย.', 'พย'],
  ['ธันวาคม', 'ธ.ค.', 'ธค'],
];
const monthByName = new Map<string, number>();
THAI_MONTHS.forEach((names, i) => names.forEach((n) => monthByName.set(n.replace(/\./g, ''), i + 1)));

const BE_OFFSET = 543;
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Years above 2400 are Buddhist Era; two-digit years are BE (25yy), as Thai offices write them. */
function commonEraYear(year: number, digits: number): number {
  if (digits <= 2) return 2500 + year - BE_OFFSET;
  return year > 2400 ? year - BE_OFFSET : year;
}

function isoDate(y: number, m: number, d: number, written: string): string {
  const date = new Date(Date.UTC(y, m - 1, d));
  if (m < 1 || m > 12 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    throw new CellProblem(t('cell.dateNotReal', { value: written }));
  }
  if (y < 1900 || y > 2200) throw new CellProblem(t('cell.yearRange', { value: written }));
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
}

/**
 * An Excel date cell. Excel keeps the Gregorian date whatever the display; a cell typed as 16/12/2564
 * under a Gregorian locale becomes the year 2564, which is read here as the Buddhist Era year it was.
 */
function isoDateOfCell(value: Date): string {
  const y = value.getUTCFullYear();
  return isoDate(y > 2400 ? y - BE_OFFSET : y, value.getUTCMonth() + 1, value.getUTCDate(), value.toISOString().slice(0, 10));
}

/**
 * A date as `YYYY-MM-DD` (common era) from `16/12/2564` (d/m/y, BE), `16/12/2021`, `16-12-64`,
 * `2021-12-16`, `2564-12-16`, `16 ธันวาคม 2564`, `16 ธ.ค. 64`, Thai digits, or an Excel date cell.
 */
export function parseDate(value: CellValue): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new CellProblem(t('cell.dateBroken'));
    return isoDateOfCell(value);
  }
  if (typeof value === 'number') throw new CellProblem(t('cell.numberNotDate', { value }));
  const text = asciiDigits(cleanText(String(value ?? '')));
  let match = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ].*)?$/.exec(text);
  if (match) return isoDate(commonEraYear(Number(match[1]), 4), Number(match[2]), Number(match[3]), text);
  match = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})$/.exec(text);
  if (match) return isoDate(commonEraYear(Number(match[3]), match[3]!.length), Number(match[2]), Number(match[1]), text);
  match = /^(\d{1,2}) ?([ก-๙.]+) ?(?:พ\.?ศ\.? ?)?(\d{2}|\d{4})$/.exec(text);
  if (match) {
    const month = monthByName.get(match[2]!.replace(/\./g, ''));
    if (month) return isoDate(commonEraYear(Number(match[3]), match[3]!.length), month, Number(match[1]), text);
  }
  throw new CellProblem(t('cell.notDate', { value: cellText(value) }));
}

/** A whole number of zero or more: `1,200`, `๘๕`, `85 คน`, an Excel number. */
export function parseCount(value: CellValue): number {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0) throw new CellProblem(t('cell.notWholeNumber', { value }));
    return value;
  }
  const text = asciiDigits(cleanText(cellText(value)))
    .replace(/,/g, '')
    .replace(/\s*(คน|ราย|แห่ง|หน่วยงาน)$/, '');
  if (!/^\d+$/.test(text)) throw new CellProblem(t('cell.notWholeNumber', { value: `"${cellText(value)}"` }));
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new CellProblem(t('cell.tooLarge', { value: cellText(value) }));
  return n;
}

/** A Buddhist Era fiscal year: `2565`, `๒๕๖๕`, `ปีงบประมาณ 2565`, `พ.ศ. 2565`, `ปีงบ 65`. */
export function parseFiscalYear(value: CellValue): number {
  const text = asciiDigits(cleanText(cellText(value)))
    .replace(/^(ปีงบประมาณ|ปีงบ\.?|ปี|fy)\s*/i, '')
    .replace(/^พ\.?\s?ศ\.?\s*/, '');
  if (/^\d{2}$/.test(text)) return 2500 + Number(text);
  if (!/^\d{4}$/.test(text)) throw new CellProblem(t('cell.notFiscalYear', { value: cellText(value) }));
  return Number(text);
}

/**
 * A list in one cell. Names are separated by `;`, `|` or line breaks (a name may hold a comma or a
 * space); codes and labels also by commas and spaces.
 */
export function splitList(value: CellValue, of: 'names' | 'codes'): string[] {
  const text = cellText(value).normalize('NFC');
  return text
    .split(of === 'codes' ? /[;|\n\r,，、\s]+/ : /[;|\n\r]+/)
    .map(cleanText)
    .filter(Boolean);
}

/** A phone number cell; a numeric Excel cell has lost its leading zero, which is put back. */
export function phoneText(value: CellValue): string {
  if (typeof value === 'number' && Number.isInteger(value)) {
    const digits = String(value);
    return digits.length === 8 || digits.length === 9 ? `0${digits}` : digits;
  }
  return cleanText(cellText(value));
}
