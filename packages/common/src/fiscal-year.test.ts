import { describe, expect, it } from '@jest/globals';
import { assertFiscalYear, fiscalYearOf, fiscalYearRange } from './fiscal-year.ts';

describe('fiscal years', () => {
  it('names the Thai fiscal year by the BE year it ends in', () => {
    expect(fiscalYearOf('2021-12-16')).toBe(2565);
    expect(fiscalYearOf('2021-09-30')).toBe(2564);
    expect(fiscalYearOf('2021-10-01')).toBe(2565);
    expect(fiscalYearRange(2565)).toEqual({ start: '2021-10-01', end: '2022-09-30' });
  });

  it('rejects a CE year with a BAD_USER_INPUT that names the BE year it probably meant', () => {
    expect(() => assertFiscalYear(2021)).toThrow(/did you mean 2564/);
    expect(() => assertFiscalYear(2021, 'fiscalYear')).toThrow(
      expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field: 'fiscalYear' } }),
    );
    expect(assertFiscalYear(2565)).toBe(2565);
  });
});
