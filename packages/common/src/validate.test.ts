import { describe, expect, it } from '@jest/globals';
import { asciiDigits, calendarDate, emailAddress, existingProvince, ordered, phoneNumber, thaiName } from './validate.ts';

const fieldOf = (fn: () => unknown) => {
  try {
    fn();
    return 'ok';
  } catch (error) {
    const { code, field } = (error as { extensions: { code: string; field: string } }).extensions;
    return `${code}:${field}`;
  }
};

describe('validation helpers', () => {
  it('normalize Thai names: NFC, trimmed, inner spaces collapsed; blank or non-Thai names are refused', () => {
    expect(thaiName('nameTh', '  ชมรม   ผู้สูงอายุ '.normalize('NFD'))).toBe('ชมรม ผู้สูงอายุ');
    expect(fieldOf(() => thaiName('nameTh', ' '))).toBe('BAD_USER_INPUT:nameTh');
    expect(fieldOf(() => thaiName('nameTh', 'Club'))).toBe('BAD_USER_INPUT:nameTh');
  });

  it('accept Thai digits in codes, dates and phone numbers', () => {
    expect(asciiDigits('๒๕๖๔')).toBe('2564');
    expect(existingProvince('provinceCode', '๑๔')).toBe('TH-14');
    expect(existingProvince('provinceCode', ' th-14 ')).toBe('TH-14');
    expect(fieldOf(() => existingProvince('provinceCode', 'TH-99'))).toBe('BAD_USER_INPUT:provinceCode');
    expect(calendarDate('startDate', '๒๐๒๑-๑๒-๑๖').toISOString()).toBe('2021-12-16T00:00:00.000Z');
    expect(phoneNumber('phone', '+66 ๘๑-๒๓๔-๕๖๗๘')).toBe('0812345678');
  });

  it('refuse unreal and out-of-order dates, and Buddhist Era years in CE dates', () => {
    expect(fieldOf(() => calendarDate('startDate', '2021-02-30'))).toBe('BAD_USER_INPUT:startDate');
    expect(fieldOf(() => calendarDate('startDate', '16/12/2021'))).toBe('BAD_USER_INPUT:startDate');
    expect(() => calendarDate('startDate', '2564-12-16')).toThrow(/Buddhist Era.*2021/);
    expect(fieldOf(() => ordered('startDate', new Date('2021-12-16'), 'endDate', new Date('2021-12-15')))).toBe('BAD_USER_INPUT:endDate');
  });

  it('check contact details without echoing them', () => {
    expect(emailAddress('email', ' Somsri@Example.ORG ')).toBe('Somsri@example.org');
    for (const [fn, value] of [
      [() => phoneNumber('phone', '12345'), '12345'],
      [() => emailAddress('email', 'somsri-at-example'), 'somsri-at-example'],
    ] as const) {
      expect(() => fn()).toThrow();
      try {
        fn();
      } catch (error) {
        expect((error as Error).message).not.toContain(value);
      }
    }
  });
});
