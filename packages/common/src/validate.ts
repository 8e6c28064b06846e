/**
 * Input validation shared by the subgraphs' mutations. Every failure is BAD_USER_INPUT naming the
 * field and the reason. Thai text is normalized (NFC, trimmed, inner whitespace collapsed) and Thai
 * digits (๐–๙) are accepted wherever digits are expected. Messages about contact details never echo
 * the value (personal data must not reach errors or logs).
 */
import { badUserInput, echo } from './errors.ts';
import { assertFiscalYear } from './fiscal-year.ts';
import { PROVINCE_CODES } from './reference/index.ts';
import { normalizeThai } from './text.ts';
import { t } from './i18n/index.ts';

const THAI_DIGITS = '๐๑๒๓๔๕๖๗๘๙';
/** Replaces Thai digits with ASCII digits. */
export function asciiDigits(text: string): string {
  return text.replace(/[๐-๙]/g, (d) => String(THAI_DIGITS.indexOf(d)));
}

const THAI_LETTER = /[\u0E01-\u0E2E]/;

/** A required Thai name: normalized, not empty, with at least one Thai letter, at most `max` characters. */
export function thaiName(field: string, value: string | null | undefined, max = 300): string {
  if (value === null || value === undefined) throw badUserInput(field, t('input.required', { field }));
  const text = normalizeThai(value);
  if (!text) throw badUserInput(field, t('input.requiredNotBlank', { field }));
  if (!THAI_LETTER.test(text)) throw badUserInput(field, t('input.thaiRequired', { field }));
  if (text.length > max) throw badUserInput(field, t('input.tooLong', { field, max, length: text.length }));
  return text;
}

/** Optional free text: normalized; blank becomes null. */
export function optionalText(field: string, value: string | null | undefined, max = 1000): string | null {
  if (value === null || value === undefined) return null;
  const text = normalizeThai(value);
  if (!text) return null;
  if (text.length > max) throw badUserInput(field, t('input.tooLong', { field, max, length: text.length }));
  return text;
}

/** An existing province: ISO code (TH-14) or DOPA code (14), Thai digits accepted. */
export function existingProvince(field: string, value: string): string {
  const raw = asciiDigits(value).trim().toUpperCase();
  const code = /^\d{2}$/.test(raw) ? `TH-${raw}` : raw;
  if (!/^TH-\d{2}$/.test(code)) {
    throw badUserInput(field, t('input.provinceCodeShape', { field, value: echo(value) }));
  }
  if (!PROVINCE_CODES.includes(code)) throw badUserInput(field, t('input.provinceUnknown', { field, code }));
  return code;
}

/** A district code as written (four DOPA digits, Thai digits accepted); existence is checked by the networks subgraph. */
export function districtCodeShape(field: string, value: string): string {
  const code = asciiDigits(value).trim();
  if (!/^\d{4}$/.test(code)) throw badUserInput(field, t('input.districtCodeShape', { field, value: echo(value) }));
  return code;
}

/** The district belongs to the province (the first two DOPA digits are the province's). */
export function districtInProvince(field: string, districtCode: string, provinceCode: string | null): void {
  if (!provinceCode) throw badUserInput(field, t('input.districtNeedsProvince'));
  const dopa = provinceCode.slice(3);
  if (districtCode.slice(0, 2) !== dopa) throw badUserInput(field, t('input.districtNotInProvince', { field, districtCode, provinceCode }));
}

/** A fiscal year in the Buddhist Era (the CE years get a hint). */
export function fiscalYear(field: string, value: number): number {
  return assertFiscalYear(value, field);
}

export function nonNegativeInt(field: string, value: number, max = 10_000_000): number {
  if (!Number.isInteger(value) || value < 0) throw badUserInput(field, t('input.wholeNumber', { field, value: echo(value) }));
  if (value > max) throw badUserInput(field, t('input.atMost', { field, max, value }));
  return value;
}

/** A real calendar date `YYYY-MM-DD` (CE), Thai digits accepted; returned as a UTC Date. */
export function calendarDate(field: string, value: string): Date {
  const text = asciiDigits(value).trim();
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) throw badUserInput(field, t('input.dateShape', { field, value: echo(value) }));
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (y > 2400) throw badUserInput(field, t('input.dateBuddhistEra', { field, value: text, ce: `${y - 543}${text.slice(4)}` }));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    throw badUserInput(field, t('input.dateNotReal', { field, value: text }));
  }
  if (y < 1900) throw badUserInput(field, t('input.dateTooEarly', { field, value: text }));
  return date;
}

export function ordered(startField: string, start: Date, endField: string, end: Date): void {
  if (end.getTime() < start.getTime()) {
    throw badUserInput(
      endField,
      t('input.dateOrder', { endField, end: end.toISOString().slice(0, 10), startField, start: start.toISOString().slice(0, 10) }),
    );
  }
}

/** Distinct values in the order given. */
export function distinct<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

/** A Thai phone number (0X… 9–10 digits, or +66…), Thai digits, spaces and dashes accepted. Never echoed. */
export function phoneNumber(field: string, value: string | null | undefined): string | null {
  if (value === null || value === undefined || !value.trim()) return null;
  let digits = asciiDigits(value).replace(/[\s\-().]/g, '');
  if (digits.startsWith('+66')) digits = `0${digits.slice(3)}`;
  if (!/^0\d{8,9}$/.test(digits)) throw badUserInput(field, t('input.phone', { field }));
  return digits;
}

/** An e-mail address (lower-cased domain). Never echoed. */
export function emailAddress(field: string, value: string | null | undefined): string | null {
  if (value === null || value === undefined || !value.trim()) return null;
  const text = value.normalize('NFC').trim();
  const at = text.lastIndexOf('@');
  if (at < 1 || text.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text)) throw badUserInput(field, t('input.email', { field }));
  return `${text.slice(0, at)}@${text.slice(at + 1).toLowerCase()}`;
}
