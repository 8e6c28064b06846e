/** The activities of one fiscal year. */
import { graphql } from '../generated/gql.ts';
import type { ExportActivitiesQuery } from '../generated/graphql.ts';
import { pagedInScope } from './paging.ts';
import {
  DISTRICT_COLUMNS,
  PROVINCE_COLUMNS,
  SOURCE_COLUMNS,
  col,
  districtCells,
  provinceCells,
  sourceCells,
  type ExportContext,
  type ExportDefinition,
} from './types.ts';

export const ACTIVITIES_QUERY = graphql(`
  query ExportActivities($provinceCode: ID, $fiscalYear: Int, $first: Int, $after: String) {
    activities(provinceCode: $provinceCode, fiscalYear: $fiscalYear, first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          titleTh
          titleEn
          kind
          startDate
          endDate
          fiscalYear
          province {
            code
            nameTh
          }
          district {
            code
            nameTh
          }
          venue
          participantCount
          participatingAgencyCount
          virtues
          organizers {
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

export type ActivityNode = ExportActivitiesQuery['activities']['edges'][number]['node'];

/** Every activity of the scope's fiscal year and province (or all), synthetic ones included. */
export function readActivities(context: ExportContext): AsyncGenerator<ActivityNode> {
  return pagedInScope(context, ACTIVITIES_QUERY, (data) => data.activities, 'activities', { fiscalYear: context.fiscalYear });
}

export const activities: ExportDefinition = {
  what: 'activities',
  needsFiscalYear: true,
  fileNameTh: 'กิจกรรมส่งเสริมคุณธรรม',
  catalogue: {
    th: 'กิจกรรมส่งเสริมคุณธรรม',
    en: 'Moral-promotion activities',
    notesTh: 'กิจกรรมของเครือข่ายคุณธรรม: ประเภท วันที่ สถานที่ จำนวนผู้เข้าร่วม คุณธรรมที่ส่งเสริม และหน่วยงานผู้จัด',
    notesEn: 'Activities of the moral networks: kind, dates, venue, participants, virtues promoted and organizers',
    dataType: 'ข้อมูลระเบียน',
  },
  columns: [
    col('activity_id', 'string', 'รหัสกิจกรรมในทะเบียน', 'Registry id'),
    col('title_th', 'string', 'ชื่อกิจกรรม', 'Thai title'),
    col('title_en', 'string', 'ชื่อกิจกรรมภาษาอังกฤษ', 'English title'),
    col('kind', 'string', 'ประเภทกิจกรรม (รหัส)', 'Kind of activity (code)'),
    col('start_date', 'date', 'วันที่เริ่ม (ค.ศ. YYYY-MM-DD)', 'First day (YYYY-MM-DD)'),
    col('end_date', 'date', 'วันที่สิ้นสุด (ค.ศ. YYYY-MM-DD)', 'Last day (YYYY-MM-DD)'),
    col('fiscal_year', 'integer', 'ปีงบประมาณ (พ.ศ.)', 'Fiscal year (BE)'),
    ...PROVINCE_COLUMNS,
    ...DISTRICT_COLUMNS,
    col('venue', 'string', 'สถานที่', 'Venue'),
    col('participant_count', 'integer', 'จำนวนผู้เข้าร่วม (คน)', 'Participants (head count)'),
    col('participating_agency_count', 'integer', 'จำนวนหน่วยงานที่เข้าร่วม', 'Participating agencies'),
    col('virtues', 'string', 'คุณธรรมที่ส่งเสริม (รหัส คั่นด้วย ;)', 'Virtues promoted (codes, separated by ;)'),
    col('organizer_names', 'string', 'หน่วยงานผู้จัด (คั่นด้วย ;)', 'Organizing agencies (separated by ;)'),
    ...SOURCE_COLUMNS,
  ],
  async *rows(context) {
    for await (const a of readActivities(context)) {
      if (!context.inScope(a.province?.code) || !context.keep(a)) continue;
      context.years.add(a.fiscalYear);
      yield {
        activity_id: a.id,
        title_th: a.titleTh,
        title_en: a.titleEn,
        kind: a.kind,
        start_date: a.startDate,
        end_date: a.endDate,
        fiscal_year: a.fiscalYear,
        ...provinceCells(a),
        ...districtCells(a),
        venue: a.venue,
        participant_count: a.participantCount,
        participating_agency_count: a.participatingAgencyCount,
        virtues: a.virtues.join(';'),
        organizer_names: a.organizers.map((o) => o.nameTh).join('; '),
        ...sourceCells(a),
      };
    }
  },
};
