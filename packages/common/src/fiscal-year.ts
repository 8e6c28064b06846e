import { badUserInput } from './errors.ts';
import { t } from './i18n/index.ts';

/** Buddhist Era = Common Era + 543. */
export const BE_OFFSET = 543;

/**
 * The Thai government fiscal year (1 Oct – 30 Sep) of a date, in the Buddhist Era, named by the year
 * it ends in: 2021-12-16 is in FY2565.
 */
export function fiscalYearOf(date: Date | string): number {
  const d = typeof date === 'string' ? new Date(`${date.slice(0, 10)}T00:00:00Z`) : date;
  const year = d.getUTCFullYear() + BE_OFFSET;
  return d.getUTCMonth() >= 9 ? year + 1 : year;
}

/** First and last day (ISO dates) of a BE fiscal year. */
export function fiscalYearRange(fiscalYear: number): { start: string; end: string } {
  const ce = fiscalYear - BE_OFFSET;
  return { start: `${ce - 1}-10-01`, end: `${ce}-09-30` };
}

/**
 * Validates a fiscal-year argument. Below 2400 it is almost surely a CE year: the message says which
 * BE fiscal year was probably meant.
 */
export function assertFiscalYear(value: number, field = 'fiscalYear'): number {
  if (!Number.isInteger(value)) throw badUserInput(field, t('input.fiscalYearWhole', { field }));
  if (value < 2400) {
    throw badUserInput(field, t('input.fiscalYearCommonEra', { field, value, be: value + BE_OFFSET }));
  }
  if (value > 2700) throw badUserInput(field, t('input.fiscalYearRange', { field, value }));
  return value;
}

/** A range of fiscal years, both ends included. */
export interface FiscalYearRange {
  from: number;
  to: number;
}

/** The longest trend one field returns, in fiscal years. */
export const MAX_TREND_YEARS = 50;

/** Validates a trend's fiscal-year range: both Buddhist Era years, from ≤ to, at most MAX_TREND_YEARS years. */
export function trendYears({ fromFiscalYear, toFiscalYear }: { fromFiscalYear: number; toFiscalYear: number }): FiscalYearRange {
  const from = assertFiscalYear(fromFiscalYear, 'fromFiscalYear');
  const to = assertFiscalYear(toFiscalYear, 'toFiscalYear');
  if (from > to)
    throw badUserInput(
      'toFiscalYear',
      t('input.dateOrder', { endField: 'toFiscalYear', end: to, startField: 'fromFiscalYear', start: from }),
    );
  if (to - from + 1 > MAX_TREND_YEARS) {
    throw badUserInput('toFiscalYear', t('trend.tooLong', { max: MAX_TREND_YEARS, from, to, count: to - from + 1 }));
  }
  return { from, to };
}
