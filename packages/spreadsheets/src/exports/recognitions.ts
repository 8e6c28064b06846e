/** Assessments, honours and awards of one fiscal year (a recipient's name, never their contact details). */
import { graphql } from '../generated/gql.ts';
import type { ExportRecognitionsQuery } from '../generated/graphql.ts';
import { pagedInScope } from './paging.ts';
import { PROVINCE_COLUMNS, SOURCE_COLUMNS, col, provinceCells, sourceCells, type ExportContext, type ExportDefinition } from './types.ts';

export const RECOGNITIONS_QUERY = graphql(`
  query ExportRecognitions($provinceCode: ID, $fiscalYear: Int, $first: Int, $after: String) {
    recognitions(provinceCode: $provinceCode, fiscalYear: $fiscalYear, first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          programme
          level
          virtue
          scope
          fiscalYear
          status
          titleTh
          province {
            code
            nameTh
          }
          recipient {
            __typename
            ... on Agency {
              nameTh
            }
            ... on Person {
              fullNameTh
            }
            ... on Province {
              code
              nameTh
            }
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

export type RecognitionNode = ExportRecognitionsQuery['recognitions']['edges'][number]['node'];

/** Every recognition of the scope's fiscal year and province (or all), synthetic ones included. */
export function readRecognitions(context: ExportContext): AsyncGenerator<RecognitionNode> {
  return pagedInScope(context, RECOGNITIONS_QUERY, (data) => data.recognitions, 'recognitions', { fiscalYear: context.fiscalYear });
}

export const recognitions: ExportDefinition = {
  what: 'recognitions',
  needsFiscalYear: true,
  fileNameTh: 'การยกย่องเชิดชูคุณธรรม',
  catalogue: {
    th: 'การประเมินและยกย่องเชิดชูคุณธรรม',
    en: 'Moral assessments, honours and awards',
    notesTh: 'ผลการประเมินหน่วยคุณธรรม การยกย่องเชิดชูเกียรติ และรางวัลคุณธรรม พร้อมสถานะการรับรอง',
    notesEn: 'Moral-unit assessments, virtue honours and moral awards, with their certification status',
    dataType: 'ข้อมูลระเบียน',
  },
  columns: [
    col('recognition_id', 'string', 'รหัสการยกย่องในทะเบียน', 'Registry id'),
    col('programme', 'string', 'ประเภทการยกย่อง (รหัส)', 'Programme (code)'),
    col('level', 'string', 'ระดับ (รหัส)', 'Level (code)'),
    col('virtue', 'string', 'คุณธรรม (รหัส)', 'Virtue (code)'),
    col('scope', 'string', 'ขอบเขต (PROVINCIAL / NATIONAL)', 'Scope'),
    col('fiscal_year', 'integer', 'ปีงบประมาณ (พ.ศ.)', 'Fiscal year (BE)'),
    col('status', 'string', 'สถานะ (NOMINATED, PROVINCE_CERTIFIED, NATIONALLY_CONFIRMED, REJECTED, WITHDRAWN)', 'Workflow status'),
    col('title_th', 'string', 'ชื่อรางวัล', 'Title (Thai)'),
    col('recipient_kind', 'string', 'ประเภทผู้ได้รับ (AGENCY, PERSON, PROVINCE)', 'Recipient kind'),
    col('recipient_name_th', 'string', 'ชื่อผู้ได้รับ (หน่วยงาน บุคคล หรือจังหวัด; ไม่มีข้อมูลติดต่อ)', 'Recipient name (no contact details)'),
    ...PROVINCE_COLUMNS,
    ...SOURCE_COLUMNS,
  ],
  async *rows(context) {
    for await (const r of readRecognitions(context)) {
      if (!context.inScope(r.province?.code) || !context.keep(r)) continue;
      context.years.add(r.fiscalYear);
      const recipient = r.recipient;
      yield {
        recognition_id: r.id,
        programme: r.programme,
        level: r.level,
        virtue: r.virtue,
        scope: r.scope,
        fiscal_year: r.fiscalYear,
        status: r.status,
        title_th: r.titleTh,
        recipient_kind: recipient.__typename === 'Agency' ? 'AGENCY' : recipient.__typename === 'Person' ? 'PERSON' : 'PROVINCE',
        recipient_name_th: recipient.__typename === 'Person' ? recipient.fullNameTh : recipient.nameTh,
        ...provinceCells(r),
        ...sourceCells(r),
      };
    }
  },
};
