import { describe, expect, it } from '@jest/globals';
import { CellProblem, cleanText, headerKey, parseCount, parseDate, parseFiscalYear, phoneText, splitList } from './text.ts';

describe('cell text', () => {
  it('stray, non-breaking and zero-width spaces are cleaned; Thai is NFC', () => {
    expect(cleanText('  ชมรม\u00A0\u00A0จิตอาสา \u200Bบ้านเกาะ \n')).toBe('ชมรม จิตอาสา บ้านเกาะ');
    expect(cleanText('\u0E33'.normalize('NFD'))).toBe('\u0E33');
  });

  it('headers match whatever their case, spacing, underscores or required marks', () => {
    expect(headerKey('name_th')).toBe(headerKey('nameTh'));
    expect(headerKey(' Name TH ')).toBe(headerKey('name_th'));
    expect(headerKey('ชื่อ-นามสกุล')).toBe(headerKey('ชื่อ นามสกุล'));
    expect(headerKey('ชื่อหน่วยงาน *')).toBe(headerKey('ชื่อหน่วยงาน'));
  });
});

describe('dates become YYYY-MM-DD in the common era', () => {
  it.each([
    ['16/12/2564', '2021-12-16'],
    ['16/12/2021', '2021-12-16'],
    ['2021-12-16', '2021-12-16'],
    ['2564-12-16', '2021-12-16'],
    ['๑๖/๑๒/๒๕๖๔', '2021-12-16'],
    ['16-12-64', '2021-12-16'],
    ['1/2/2565', '2022-02-01'],
    ['16 ธันวาคม 2564', '2021-12-16'],
    ['16 ธ.ค. 2564', '2021-12-16'],
    ['5 เม.ย. 65', '2022-04-05'],
    [' 16/12/2564 ', '2021-12-16'],
  ])('%s → %s', (written, iso) => {
    expect(parseDate(written)).toBe(iso);
  });

  it('Excel date cells, including one typed as a BE year under a Gregorian locale', () => {
    expect(parseDate(new Date(Date.UTC(2021, 11, 16)))).toBe('2021-12-16');
    expect(parseDate(new Date(Date.UTC(2564, 11, 16)))).toBe('2021-12-16');
  });

  it.each(['31/02/2565', '2565', '16/13/2564', 'เมื่อวาน', '12/16/2021'])('%s is refused with a reason', (written) => {
    expect(() => parseDate(written)).toThrow(CellProblem);
  });
});

describe('numbers', () => {
  it('counts with Thai digits, thousands separators and a unit', () => {
    expect(parseCount('1,200')).toBe(1200);
    expect(parseCount('๘๕')).toBe(85);
    expect(parseCount('30 คน')).toBe(30);
    expect(parseCount(42)).toBe(42);
    expect(() => parseCount('-3')).toThrow(CellProblem);
    expect(() => parseCount(2.5)).toThrow(CellProblem);
  });

  it('fiscal years in the Buddhist Era, however they are written', () => {
    expect(parseFiscalYear('2565')).toBe(2565);
    expect(parseFiscalYear('๒๕๖๕')).toBe(2565);
    expect(parseFiscalYear('ปีงบประมาณ 2565')).toBe(2565);
    expect(parseFiscalYear('พ.ศ. 2565')).toBe(2565);
    expect(parseFiscalYear(2565)).toBe(2565);
    expect(() => parseFiscalYear('สองพัน')).toThrow(CellProblem);
  });

  it('a phone number Excel stored as a number gets its leading zero back', () => {
    expect(phoneText(812345678)).toBe('0812345678');
    expect(phoneText(' 081-234-5678 ')).toBe('081-234-5678');
  });
});

describe('lists in one cell', () => {
  it('names are split on ; | and line breaks only; codes also on commas and spaces', () => {
    expect(splitList('ศูนย์คุณธรรม (องค์การมหาชน); บริษัท เอ, จำกัด\nวัดตัวอย่าง', 'names')).toEqual([
      'ศูนย์คุณธรรม (องค์การมหาชน)',
      'บริษัท เอ, จำกัด',
      'วัดตัวอย่าง',
    ]);
    expect(splitList('วินัย, จิตอาสา กตัญญู;สุจริต', 'codes')).toEqual(['วินัย', 'จิตอาสา', 'กตัญญู', 'สุจริต']);
  });
});
