/** The agencies of the network chapters (never people's contact details: the query does not ask for them). */
import { graphql } from '../generated/gql.ts';
import type { ExportAgenciesQuery } from '../generated/graphql.ts';
import { pagedInScope } from './paging.ts';
import {
  DISTRICT_COLUMNS,
  SOURCE_COLUMNS,
  col,
  districtCells,
  provinceCells,
  sourceCells,
  type ExportContext,
  type ExportDefinition,
} from './types.ts';

export const AGENCIES_QUERY = graphql(`
  query ExportAgencies($provinceCode: ID, $first: Int, $after: String) {
    agencies(provinceCode: $provinceCode, first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          nameTh
          nameEn
          kind
          province {
            code
            nameTh
          }
          district {
            code
            nameTh
          }
          sector {
            code
            nameTh
          }
          source {
            kind
            synthetic
          }
        }
      }
    }
  }
`);

export type AgencyNode = ExportAgenciesQuery['agencies']['edges'][number]['node'];

/** Every agency of the scope's province (or all), synthetic ones included: the caller decides. */
export function readAgencies(context: ExportContext): AsyncGenerator<AgencyNode> {
  return pagedInScope(context, AGENCIES_QUERY, (data) => data.agencies, 'agencies', {});
}

export const agencies: ExportDefinition = {
  what: 'agencies',
  needsFiscalYear: false,
  fileNameTh: 'หน่วยงานภาคีเครือข่าย',
  catalogue: {
    th: 'หน่วยงานภาคีเครือข่ายคุณธรรม',
    en: 'Moral-network member agencies',
    notesTh: 'หน่วยงานและองค์กรในภาคีเครือข่ายคุณธรรมของแต่ละจังหวัด จำแนกตามภาคส่วน ประเภท และอำเภอ',
    notesEn: "Agencies and organizations of each province's moral-network chapters, by sector, kind and district",
    dataType: 'ข้อมูลระเบียน',
  },
  columns: [
    col('agency_id', 'string', 'รหัสหน่วยงานในทะเบียน', 'Registry id'),
    col('name_th', 'string', 'ชื่อหน่วยงาน', 'Thai name'),
    col('name_en', 'string', 'ชื่อหน่วยงานภาษาอังกฤษ', 'English name'),
    col('kind', 'string', 'ประเภทหน่วยงาน (รหัส)', 'Kind of agency (code)'),
    // Not PROVINCE_COLUMNS: an agency's description says what an empty province means.
    col('province_code', 'string', 'รหัสจังหวัด (ว่าง: หน่วยงานระดับชาติ)', 'Province code (empty: national agency)'),
    col('province_name_th', 'string', 'ชื่อจังหวัด', 'Province (Thai)'),
    ...DISTRICT_COLUMNS,
    col('sector_code', 'string', 'ภาคีเครือข่าย (รหัส)', 'Network sector (code)'),
    col('sector_name_th', 'string', 'ภาคีเครือข่าย', 'Network sector (Thai)'),
    ...SOURCE_COLUMNS,
  ],
  async *rows(context) {
    for await (const a of readAgencies(context)) {
      if (!context.inScope(a.province?.code) || !context.keep(a)) continue;
      yield {
        agency_id: a.id,
        name_th: a.nameTh,
        name_en: a.nameEn,
        kind: a.kind,
        ...provinceCells(a),
        ...districtCells(a),
        sector_code: a.sector?.code ?? null,
        sector_name_th: a.sector?.nameTh ?? null,
        ...sourceCells(a),
      };
    }
  },
};
