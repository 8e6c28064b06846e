import { describe, expect, it } from '@jest/globals';
import { Reference } from './reference.ts';
import { REFERENCE } from './test-support.ts';
import { CellProblem } from './text.ts';

const reference = new Reference(REFERENCE);

describe('provinces by code or by the names people write', () => {
  it.each([
    'พระนครศรีอยุธยา',
    'จังหวัดพระนครศรีอยุธยา',
    'จ.พระนครศรีอยุธยา',
    'จ. พระนครศรีอยุธยา',
    'TH-14',
    'th-14',
    '14',
    '๑๔',
    'Phra Nakhon Si Ayutthaya',
  ])('%s is TH-14', (written) => expect(reference.province(written)).toBe('TH-14'));

  it.each(['กรุงเทพมหานคร', 'กรุงเทพฯ', 'กทม.', 'Bangkok', 'TH-10'])('%s is Bangkok', (written) => {
    expect(reference.province(written)).toBe('TH-10');
  });

  it('unknown names and codes are refused with a hint', () => {
    expect(() => reference.province('เมืองลับแล')).toThrow(/not a province: write its Thai name/);
    expect(() => reference.province('TH-99')).toThrow(/TH-99 is not one of the 77 provinces/);
  });
});

describe('districts within the province', () => {
  it.each(['อุทัย', 'อำเภออุทัย', 'อ.อุทัย', 'อ. อุทัย', '1414', '๑๔๑๔'])('%s is 1414 in Ayutthaya', (written) => {
    expect(reference.district(written, 'TH-14')).toBe('1414');
  });

  it("อ.เมือง is the province's first district, also where its name is the province's", () => {
    expect(reference.district('อ.เมือง', 'TH-14')).toBe('1401');
    expect(reference.district('อำเภอเมืองพระนครศรีอยุธยา', 'TH-14')).toBe('1401');
    expect(reference.district('เมือง', 'TH-50')).toBe('5001');
  });

  it("Bangkok's เขต with or without the prefix", () => {
    expect(reference.district('เขตพระนคร', 'TH-10')).toBe('1001');
    expect(reference.district('เขต ดุสิต', 'TH-10')).toBe('1002');
    expect(reference.district('บางรัก', 'TH-10')).toBe('1004');
  });

  it('a district of another province is refused, by name or by code', () => {
    expect(() => reference.district('บางรัก', 'TH-14')).toThrow(CellProblem);
    expect(() => reference.district('1002', 'TH-14')).toThrow(/is in กรุงเทพมหานคร, not in พระนครศรีอยุธยา/);
    expect(() => reference.district('อุทัย', null)).toThrow(/needs its province/);
  });
});

describe('sectors by code or Thai label', () => {
  it.each([
    ['RELIGION', 'RELIGION'],
    ['religion', 'RELIGION'],
    ['ศาสนา', 'RELIGION'],
    ['เครือข่ายศาสนา', 'RELIGION'],
    ['ภาคธุรกิจเอกชน', 'BUSINESS'],
    ['ภาครัฐ', 'GOVERNMENT'],
    ['community organization', 'COMMUNITY_ORGANIZATION'],
    ['ภาคการศึกษา เด็กและเยาวชน', 'EDUCATION'],
  ])('%s → %s', (written, code) => expect(reference.sector(written)).toBe(code));

  it('an unknown sector lists the known ones', () => {
    expect(() => reference.sector('กีฬา')).toThrow(/RELIGION \(ศาสนา\)/);
  });
});
