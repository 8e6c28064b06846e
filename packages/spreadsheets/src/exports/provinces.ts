/** The provinces, their regions and districts, and each one's moral-province programme year. */
import { t } from '@moral-registry/common';
import { dataOf, type Api } from '../api.ts';
import { graphql } from '../generated/gql.ts';
import type { ExportProvincesQuery } from '../generated/graphql.ts';
import { col, type ExportDefinition, type Row } from './types.ts';

export const PROVINCES_QUERY = graphql(`
  query ExportProvinces {
    provinces {
      code
      dopaCode
      nameTh
      nameEn
      region {
        code
        nameTh
      }
      districts {
        code
      }
      programmeYears {
        programmeYear
        fiscalYear
        targetBehaviourTh
        targetVirtues
        source {
          kind
          synthetic
        }
      }
    }
  }
`);

export type ProvinceNode = ExportProvincesQuery['provinces'][number];

/**
 * A province's code, names and NSO region, the first columns of the provinces and comparison files
 * (each file describes them in its own words).
 */
export const provinceAndRegionCells = (p: ProvinceNode): Row => ({
  province_code: p.code,
  name_th: p.nameTh,
  name_en: p.nameEn,
  region_code: p.region.code,
  region_name_th: p.region.nameTh,
});

export async function readProvinces(api: Api): Promise<ProvinceNode[]> {
  return dataOf(await api.request(PROVINCES_QUERY), t('cli.export.reading', { what: 'provinces' })).provinces;
}

export const provinces: ExportDefinition = {
  what: 'provinces',
  needsFiscalYear: false,
  fileNameTh: 'จังหวัดคุณธรรม',
  catalogue: {
    th: 'จังหวัดในโครงการจังหวัดคุณธรรม',
    en: 'Provinces of the moral-province programme',
    notesTh: 'รายชื่อจังหวัด ภาค จำนวนอำเภอ และปีที่ของการขับเคลื่อนจังหวัดคุณธรรมพร้อมพฤติกรรมเป้าหมาย',
    notesEn: "Provinces, regions, district counts, and each province's moral-province programme year and target behaviour",
    dataType: 'ข้อมูลระเบียน',
  },
  columns: [
    col('province_code', 'string', 'รหัสจังหวัด ISO 3166-2:TH', 'ISO 3166-2:TH province code'),
    col('dopa_code', 'string', 'รหัสจังหวัดของกรมการปกครอง 2 หลัก', 'Two-digit DOPA code'),
    col('name_th', 'string', 'ชื่อจังหวัด', 'Thai name'),
    col('name_en', 'string', 'ชื่อจังหวัดภาษาอังกฤษ', 'English name'),
    col('region_code', 'string', 'รหัสภาค (สำนักงานสถิติแห่งชาติ)', 'NSO region code'),
    col('region_name_th', 'string', 'ชื่อภาค', 'NSO region name (Thai)'),
    col('district_count', 'integer', 'จำนวนอำเภอ/เขต', 'Number of districts'),
    col('fiscal_year', 'integer', 'ปีงบประมาณ (พ.ศ.)', 'Fiscal year (BE)'),
    col(
      'programme_year',
      'integer',
      'ปีที่ของการขับเคลื่อนจังหวัดคุณธรรมในปีงบประมาณนั้น',
      "Year of the province's moral-province programme in that fiscal year",
    ),
    col('target_behaviour_th', 'string', 'พฤติกรรมเป้าหมาย', 'Target behaviour (Thai)'),
    col('target_virtues', 'string', 'คุณธรรมเป้าหมาย (คั่นด้วย ;)', 'Target virtues, separated by ;'),
  ],
  async *rows(context) {
    const { fiscalYear } = context;
    if (fiscalYear) context.years.add(fiscalYear);
    for (const p of await readProvinces(context.api)) {
      if (!context.inScope(p.code)) continue;
      const year = fiscalYear ? p.programmeYears.find((y) => y.fiscalYear === fiscalYear && context.keep(y)) : undefined;
      yield {
        ...provinceAndRegionCells(p),
        dopa_code: p.dopaCode,
        district_count: p.districts.length,
        fiscal_year: fiscalYear,
        programme_year: year?.programmeYear ?? null,
        target_behaviour_th: year?.targetBehaviourTh ?? null,
        target_virtues: year ? year.targetVirtues.join(';') : null,
      };
    }
  },
};
