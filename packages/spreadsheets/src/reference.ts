/**
 * Provinces, districts and sectors by code or by the names people write in spreadsheets, from the
 * reference data the API serves (fetched once per import).
 */
import { CellProblem, asciiDigits, cleanText } from './text.ts';
import { t } from '@moral-registry/common';
import { graphql } from './generated/gql.ts';
import type { SpreadsheetReferenceQuery } from './generated/graphql.ts';

export const REFERENCE_QUERY = graphql(`
  query SpreadsheetReference {
    provinces {
      code
      nameTh
      nameEn
      districts {
        code
        nameTh
        nameEn
      }
    }
    networkSectors {
      code
      nameTh
      nameEn
    }
  }
`);

export type ReferenceData = SpreadsheetReferenceQuery;

/** Name lookup form: no spaces or dots, lower case (for English names). */
const nameForm = (text: string) =>
  cleanText(text)
    .toLowerCase()
    .replace(/[\s.]+/g, '');

const PROVINCE_PREFIX = /^(จังหวัด|จ\.|จ\s)\s*/;
const DISTRICT_PREFIX = /^(กิ่งอำเภอ|อำเภอ|อ\.|อ\s|เขต|ข\.)\s*/;
/** Bangkok's usual short forms. */
const BANGKOK_NAMES = ['กรุงเทพฯ', 'กรุงเทพ', 'กทม', 'กทม.', 'bangkok', 'กรุงเทพมหานคร'];

/** Sector labels people use besides the reference names (`ภาครัฐ`, `เครือข่ายศาสนา`, `เอกชน` …). */
const SECTOR_ALIASES: Record<string, string[]> = {
  GOVERNMENT: ['ภาครัฐ', 'รัฐ', 'ราชการ', 'หน่วยงานภาครัฐ'],
  RELIGION: ['ภาคศาสนา', 'ศาสนา'],
  EDUCATION: ['การศึกษา', 'ภาคการศึกษา', 'สถานศึกษา', 'เด็กและเยาวชน'],
  MEDIA: ['สื่อ', 'สื่อมวลชน'],
  BUSINESS: ['ธุรกิจ', 'เอกชน', 'ภาคเอกชน', 'ภาคธุรกิจ'],
  CIVIL_SOCIETY: ['ภาคประชาสังคม', 'ประชาสังคม'],
  COMMUNITY_ORGANIZATION: ['องค์กรชุมชน'],
  COMMUNITY: ['ชุมชน'],
  AGRICULTURE: ['เกษตร', 'ภาคการเกษตร', 'การเกษตร'],
};

export class Reference {
  private readonly provinceByName = new Map<string, string>();
  private readonly provinceCodes = new Set<string>();
  private readonly districtsByProvince = new Map<string, Map<string, string>>();
  private readonly districtCodes = new Map<string, string>();
  private readonly provinceNames = new Map<string, string>();
  private readonly districtNames = new Map<string, string>();
  private readonly sectorByName = new Map<string, string>();
  private readonly sectorNames = new Map<string, string>();

  constructor(readonly data: ReferenceData) {
    for (const p of data.provinces) {
      this.provinceCodes.add(p.code);
      this.provinceNames.set(p.code, p.nameTh);
      this.provinceByName.set(nameForm(p.nameTh), p.code);
      if (p.nameEn) this.provinceByName.set(nameForm(p.nameEn), p.code);
      const districts = new Map<string, string>();
      for (const d of p.districts) {
        this.districtCodes.set(d.code, p.code);
        this.districtNames.set(d.code, d.nameTh);
        districts.set(nameForm(d.nameTh), d.code);
        if (d.nameEn) districts.set(nameForm(d.nameEn), d.code);
      }
      this.districtsByProvince.set(p.code, districts);
    }
    if (this.provinceCodes.has('TH-10')) for (const name of BANGKOK_NAMES) this.provinceByName.set(nameForm(name), 'TH-10');
    for (const s of data.networkSectors) {
      this.sectorNames.set(s.code, s.nameTh);
      for (const label of [s.code, s.nameTh, s.nameEn, `เครือข่าย${s.nameTh}`, `ภาค${s.nameTh}`, ...(SECTOR_ALIASES[s.code] ?? [])]) {
        if (label) this.sectorByName.set(nameForm(label), s.code);
      }
    }
  }

  provinceName(code: string): string | undefined {
    return this.provinceNames.get(code);
  }

  districtName(code: string): string | undefined {
    return this.districtNames.get(code);
  }

  sectorName(code: string): string | undefined {
    return this.sectorNames.get(code);
  }

  /** `TH-14`, `14`, `๑๔`, `พระนครศรีอยุธยา`, `จังหวัดพระนครศรีอยุธยา`, `จ.พระนครศรีอยุธยา`, `กรุงเทพฯ`, `Bangkok`. */
  province(value: string): string {
    const text = asciiDigits(cleanText(value));
    const code = /^\d{2}$/.test(text) ? `TH-${text}` : /^th-?\d{2}$/i.test(text) ? `TH-${text.slice(-2)}` : null;
    if (code) {
      if (this.provinceCodes.has(code)) return code;
      throw new CellProblem(t('cell.provinceUnknown', { code }));
    }
    const found = this.provinceByName.get(nameForm(text.replace(PROVINCE_PREFIX, '')));
    if (found) return found;
    throw new CellProblem(t('cell.notProvince', { value: value.trim() }));
  }

  /**
   * A district of the province: its DOPA code (`1414`, `๑๔๑๔`) or its name with or without
   * `อำเภอ`/`อ.`/`เขต`; `อ.เมือง` (or เมือง + the province's name) is the province's first district.
   */
  district(value: string, provinceCode: string | null): string {
    const text = asciiDigits(cleanText(value));
    if (/^\d{4}$/.test(text)) {
      const province = this.districtCodes.get(text);
      if (!province) throw new CellProblem(t('cell.notDistrictCode', { value: text }));
      if (provinceCode && province !== provinceCode) {
        throw new CellProblem(
          t('cell.districtElsewhere', {
            value: text,
            province: this.provinceNames.get(province) ?? province,
            wanted: this.provinceNames.get(provinceCode) ?? provinceCode,
          }),
        );
      }
      return text;
    }
    if (!provinceCode) throw new CellProblem(t('input.districtNeedsProvince'));
    const districts = this.districtsByProvince.get(provinceCode)!;
    const name = nameForm(text.replace(DISTRICT_PREFIX, ''));
    const found = districts.get(name);
    if (found) return found;
    const provinceName = nameForm(this.provinceNames.get(provinceCode) ?? '');
    if (name === 'เมือง' || name === `เมือง${provinceName}`) {
      const first = `${provinceCode.slice(3)}01`;
      if (this.districtCodes.get(first) === provinceCode) return first;
    }
    throw new CellProblem(t('cell.notDistrictOf', { value: value.trim(), province: this.provinceNames.get(provinceCode) ?? provinceCode }));
  }

  /** A sector by code (`RELIGION`) or Thai label (`ศาสนา`, `เครือข่ายศาสนา`, `ภาคศาสนา`). */
  sector(value: string): string {
    const found = this.sectorByName.get(nameForm(value)) ?? this.sectorByName.get(nameForm(value.trim().replace(/ +/g, '_')));
    if (found) return found;
    throw new CellProblem(
      t('cell.notSector', { value: value.trim(), sectors: this.data.networkSectors.map((s) => `${s.code} (${s.nameTh})`).join(', ') }),
    );
  }
}
