/**
 * Province by province for one fiscal year: agencies, activities, participants, participating
 * agencies and recognitions, each with the province's national rank, the national average and its
 * percentile, and the province's NSO region. Every province is compared with all 77 (ranks are
 * national also when the file is one region's or one province's).
 *
 * Where the figures come from: with synthetic records included, from the API's own province
 * statistics (the `comparisons` of agencyStats, activityStats and recognitionStats), so the file says
 * exactly what the GraphQL answer says. Without them (the default), the API cannot give the figures —
 * its statistics count every record — so they are counted here from the records the other exports
 * would write, and compared with compareAll, which follows the API's definitions.
 */
import { t } from '@moral-registry/common';
import { dataOf } from '../api.ts';
import { graphql } from '../generated/gql.ts';
import { readAgencies } from './agencies.ts';
import { PAGE, paged } from './paging.ts';
import { provinceAndRegionCells, readProvinces } from './provinces.ts';
import { compareAll, twoDecimals } from './ranking.ts';
import { readRecognitions } from './recognitions.ts';
import { col, type ExportColumn, type ExportContext, type ExportDefinition, type Row, type Sourced } from './types.ts';

type Stats = 'agencyStats' | 'activityStats' | 'recognitionStats';

/** The figures, each with the stats object and metric the API compares it by. */
export const COMPARISON_METRICS = [
  {
    column: 'agency_count',
    stats: 'agencyStats',
    metric: 'TOTAL',
    th: 'จำนวนหน่วยงานภาคีเครือข่าย (ปัจจุบัน)',
    en: 'Agencies (current, not per year)',
  },
  { column: 'activity_count', stats: 'activityStats', metric: 'COUNT', th: 'จำนวนกิจกรรมในปีงบประมาณ', en: 'Activities in the fiscal year' },
  {
    column: 'participant_count',
    stats: 'activityStats',
    metric: 'PARTICIPANTS',
    th: 'จำนวนผู้เข้าร่วมกิจกรรมรวม (คน)',
    en: 'Sum of participants',
  },
  {
    column: 'participating_agency_count',
    stats: 'activityStats',
    metric: 'PARTICIPATING_AGENCIES',
    th: 'จำนวนหน่วยงานที่เข้าร่วมกิจกรรม (ไม่นับซ้ำ)',
    en: 'Distinct agencies that took part in the activities',
  },
  {
    column: 'recognition_count',
    stats: 'recognitionStats',
    metric: 'TOTAL',
    th: 'จำนวนการยกย่อง (ไม่นับที่ถูกปฏิเสธหรือถอน)',
    en: 'Recognitions, not rejected or withdrawn',
  },
  {
    column: 'nationally_confirmed_count',
    stats: 'recognitionStats',
    metric: 'NATIONALLY_CONFIRMED',
    th: 'จำนวนการยกย่องที่ได้รับการยืนยันระดับชาติ',
    en: 'Recognitions confirmed nationally',
  },
] as const satisfies readonly { column: string; stats: Stats; metric: string; th: string; en: string }[];

type MetricColumn = (typeof COMPARISON_METRICS)[number]['column'];

const metricColumns = (m: (typeof COMPARISON_METRICS)[number]): ExportColumn[] => [
  col(m.column, 'integer', m.th, m.en),
  col(
    `${m.column}_rank`,
    'integer',
    `อันดับของจังหวัดจาก 77 จังหวัด (${m.th}; 1 = มากที่สุด ค่าเท่ากันได้อันดับเดียวกัน)`,
    `National rank (1 = highest; ties share a rank)`,
  ),
  col(`${m.column}_national_average`, 'number', `ค่าเฉลี่ยของ 77 จังหวัด (${m.th}; ทศนิยม 2 ตำแหน่ง)`, 'Mean over the 77 provinces (2 decimals)'),
  col(
    `${m.column}_percentile`,
    'number',
    `ร้อยละของจังหวัดที่มีค่าน้อยกว่า (${m.th}; 0–100)`,
    'Percentage of the 77 provinces with a lower value (0–100, 2 decimals)',
  ),
];

export const COMPARISON_QUERY = graphql(`
  query ExportComparison($fiscalYear: Int!) {
    provinces {
      code
      agencyStats {
        comparisons {
          metric
          value
          nationalRank
          nationalAverage
          percentile
        }
      }
      activityStats(fiscalYear: $fiscalYear) {
        comparisons {
          metric
          value
          nationalRank
          nationalAverage
          percentile
        }
      }
      recognitionStats(fiscalYear: $fiscalYear) {
        comparisons {
          metric
          value
          nationalRank
          nationalAverage
          percentile
        }
      }
    }
  }
`);

/** The activities of the fiscal year with the agencies that took part (for the distinct count). */
export const COMPARISON_ACTIVITIES_QUERY = graphql(`
  query ExportComparisonActivities($fiscalYear: Int, $first: Int, $participants: Int, $after: String) {
    activities(fiscalYear: $fiscalYear, first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          participantCount
          province {
            code
          }
          source {
            kind
            synthetic
          }
          participatingAgencies(first: $participants) {
            pageInfo {
              hasNextPage
              endCursor
            }
            edges {
              node {
                id
                source {
                  kind
                  synthetic
                }
              }
            }
          }
        }
      }
    }
  }
`);

/** The rest of an activity's participating agencies, past the first page. */
export const PARTICIPANTS_QUERY = graphql(`
  query ExportParticipants($id: ID!, $first: Int, $after: String) {
    activity(id: $id) {
      participatingAgencies(first: $first, after: $after) {
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            id
            source {
              kind
              synthetic
            }
          }
        }
      }
    }
  }
`);

/** Activities per page here: each brings up to 100 participating agencies (the gateway's cost limit). */
const ACTIVITIES_PER_PAGE = 20;

/** Each province's figures counted from the records (the synthetic rule applied as in the other exports). */
async function countFromRecords(context: ExportContext, codes: string[]): Promise<Map<string, Record<MetricColumn, number>>> {
  const counts = new Map(
    codes.map((code) => [code, Object.fromEntries(COMPARISON_METRICS.map((m) => [m.column, 0])) as Record<MetricColumn, number>]),
  );
  // National: every province is compared with all 77, whatever the file's scope.
  const national: ExportContext = { ...context, province: null };
  for await (const a of readAgencies(national)) {
    const row = a.province && counts.get(a.province.code);
    if (row && context.keep(a)) row.agency_count++;
  }
  const participants = new Map<string, Set<string>>();
  const counted = (a: Sourced) => context.includeSynthetic || !a.source.synthetic;
  const what = t('cli.export.reading', { what: 'participants' });
  for await (const a of paged(
    context.api,
    COMPARISON_ACTIVITIES_QUERY,
    (data) => data.activities,
    { fiscalYear: context.fiscalYear, first: ACTIVITIES_PER_PAGE, participants: PAGE },
    what,
  )) {
    const row = a.province && counts.get(a.province.code);
    if (!row || !context.keep(a)) continue;
    row.activity_count++;
    row.participant_count += a.participantCount;
    let agencies = participants.get(a.province!.code);
    if (!agencies) participants.set(a.province!.code, (agencies = new Set()));
    // The first page of participants comes with the activity; the rest, a request a page.
    let page = a.participatingAgencies;
    for (;;) {
      for (const edge of page.edges) if (counted(edge.node)) agencies.add(edge.node.id);
      if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) break;
      const more = dataOf(await context.api.request(PARTICIPANTS_QUERY, { id: a.id, first: PAGE, after: page.pageInfo.endCursor }), what)
        .activity?.participatingAgencies;
      // activity(id) answers archived activities too: null only for one gone since its page was read.
      if (!more) break;
      page = more;
    }
  }
  for (const [code, agencies] of participants) counts.get(code)!.participating_agency_count = agencies.size;
  for await (const r of readRecognitions(national)) {
    const row = r.province && counts.get(r.province.code);
    if (!row || !context.keep(r) || r.status === 'REJECTED' || r.status === 'WITHDRAWN') continue;
    row.recognition_count++;
    if (r.status === 'NATIONALLY_CONFIRMED') row.nationally_confirmed_count++;
  }
  return counts;
}

/** A figure and its comparison cells. */
type Figures = Record<string, number | null>;

async function figuresFromRecords(context: ExportContext, codes: string[]): Promise<Map<string, Figures>> {
  const counts = await countFromRecords(context, codes);
  const figures = new Map<string, Figures>(codes.map((code) => [code, {}]));
  for (const m of COMPARISON_METRICS) {
    const compared = compareAll(new Map(codes.map((code) => [code, counts.get(code)![m.column]])));
    for (const code of codes) {
      const c = compared.get(code)!;
      Object.assign(figures.get(code)!, {
        [m.column]: counts.get(code)![m.column],
        [`${m.column}_rank`]: c.rank,
        [`${m.column}_national_average`]: twoDecimals(c.average),
        [`${m.column}_percentile`]: twoDecimals(c.percentile),
      });
    }
  }
  return figures;
}

async function figuresFromApi(context: ExportContext): Promise<Map<string, Figures>> {
  const data = dataOf(
    await context.api.request(COMPARISON_QUERY, { fiscalYear: context.fiscalYear! }),
    t('cli.export.reading', { what: 'comparison' }),
  );
  const figures = new Map<string, Figures>();
  for (const p of data.provinces) {
    const row: Figures = {};
    for (const m of COMPARISON_METRICS) {
      const c = p[m.stats]?.comparisons.find((x) => x.metric === m.metric);
      row[m.column] = c?.value ?? 0;
      row[`${m.column}_rank`] = c?.nationalRank ?? null;
      row[`${m.column}_national_average`] = c?.nationalAverage == null ? null : twoDecimals(c.nationalAverage);
      row[`${m.column}_percentile`] = c?.percentile == null ? null : twoDecimals(c.percentile);
    }
    figures.set(p.code, row);
  }
  return figures;
}

export const comparison: ExportDefinition = {
  what: 'comparison',
  needsFiscalYear: true,
  fileNameTh: 'เปรียบเทียบรายจังหวัด',
  catalogue: {
    th: 'เปรียบเทียบผลการขับเคลื่อนจังหวัดคุณธรรมรายจังหวัด',
    en: 'Moral-province figures by province',
    notesTh:
      'จำนวนหน่วยงานภาคีเครือข่าย กิจกรรม ผู้เข้าร่วม หน่วยงานที่เข้าร่วม และการยกย่อง ของแต่ละจังหวัดในปีงบประมาณ พร้อมอันดับ ค่าเฉลี่ยระดับประเทศ และเปอร์เซ็นไทล์เทียบกับ 77 จังหวัด',
    notesEn:
      "Each province's agencies, activities, participants, participating agencies and recognitions in the fiscal year, with its national rank, the national average and its percentile among the 77 provinces",
    dataType: 'ข้อมูลรวม (สถิติ)',
  },
  columns: [
    col('province_code', 'string', 'รหัสจังหวัด', 'Province code'),
    col('name_th', 'string', 'ชื่อจังหวัด', 'Province (Thai)'),
    col('name_en', 'string', 'ชื่อจังหวัดภาษาอังกฤษ', 'Province (English)'),
    col('region_code', 'string', 'รหัสภาค (สำนักงานสถิติแห่งชาติ)', 'NSO region code'),
    col('region_name_th', 'string', 'ชื่อภาค (สำนักงานสถิติแห่งชาติ)', 'NSO region name (Thai)'),
    col('fiscal_year', 'integer', 'ปีงบประมาณ (พ.ศ.)', 'Fiscal year (BE)'),
    ...COMPARISON_METRICS.flatMap(metricColumns),
  ],
  async *rows(context) {
    context.years.add(context.fiscalYear!);
    const provinces = await readProvinces(context.api);
    const fromApi = context.includeSynthetic && context.figuresFrom !== 'records';
    const figures = fromApi
      ? await figuresFromApi(context)
      : await figuresFromRecords(
          context,
          provinces.map((p) => p.code),
        );
    for (const p of provinces) {
      if (!context.inScope(p.code)) continue;
      const row: Row = {
        ...provinceAndRegionCells(p),
        fiscal_year: context.fiscalYear,
        ...figures.get(p.code),
      };
      yield row;
    }
  },
};
