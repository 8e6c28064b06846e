/**
 * The data.go.th (CKAN) catalogue record of an export: the fields the national open-data catalogue
 * asks for (title, description, licence, geographic coverage, first and last year of data, update
 * frequency, data category, source organization, columns), with data.go.th's field names and Thai
 * code-list values, so the publisher can copy them into the catalogue form as they are.
 */
import type { ExportColumn, ExportDefinition, ExportFormat, ExportScope, Resource } from './types.ts';

const FORMAT_NAMES: Record<ExportFormat, string> = { csv: 'CSV', xlsx: 'XLSX', json: 'JSON' };

/** The Thai government fiscal year (BE) of today. */
function currentFiscalYear(now = new Date()): number {
  return now.getUTCFullYear() + 543 + (now.getUTCMonth() >= 9 ? 1 : 0);
}

/** The catalogue's description of one file of the dataset. */
export function resourceOf(format: ExportFormat, name: string, rows: number, url?: string): Resource {
  return {
    name,
    format: FORMAT_NAMES[format],
    encoding: format === 'csv' ? 'UTF-8 with BOM' : 'UTF-8',
    row_count: rows,
    ...(url ? { url } : {}),
  };
}

export function catalogueMetadata(input: {
  definition: ExportDefinition;
  scope: ExportScope;
  /** The dataset's files (one per format written or offered). */
  resources: Resource[];
  years: number[];
  rows: number;
  columns?: ExportColumn[];
  created?: Date;
}) {
  const { definition, scope } = input;
  const t = definition.catalogue;
  const place = scope.province ?? scope.region;
  const where = scope.province ? ` จังหวัด${scope.province.nameTh}` : scope.region ? ` ${scope.region.nameTh}` : '';
  const whereEn = place ? ` (${place.code})` : '';
  const year = scope.fiscalYear ? ` ปีงบประมาณ ${scope.fiscalYear}` : '';
  const yearEn = scope.fiscalYear ? `, fiscal year ${scope.fiscalYear} BE` : '';
  const years = input.years.length ? input.years : [scope.fiscalYear ?? currentFiscalYear()];
  const synthetic = scope.includeSynthetic
    ? {
        th: ' รวมข้อมูลสังเคราะห์ (คอลัมน์ synthetic = true) สำหรับการทดสอบ ไม่ใช่ข้อมูลจริง',
        en: ' Includes synthetic demo records (synthetic = true), which are not real.',
      }
    : { th: ' ไม่รวมข้อมูลสังเคราะห์', en: ' Synthetic demo records are excluded.' };
  return {
    title: `${t.th}${where}${year}`,
    title_en: `${t.en}${whereEn}${yearEn}`,
    name: ['moral-registry', definition.what, place?.code.toLowerCase(), scope.fiscalYear ? `fy${scope.fiscalYear}` : null]
      .filter(Boolean)
      .join('-'),
    notes: `${t.notesTh}${synthetic.th} ไม่มีข้อมูลติดต่อของบุคคล (เบอร์โทรศัพท์ อีเมล ที่อยู่)`,
    notes_en: `${t.notesEn}.${synthetic.en} No personal contact data (no phone, e-mail or address).`,
    description: { th: `${t.notesTh}${synthetic.th}`, en: `${t.notesEn}.${synthetic.en}` },
    owner_org: 'ศูนย์คุณธรรม (องค์การมหาชน)',
    source_organization: { th: 'ศูนย์คุณธรรม (องค์การมหาชน)', en: 'Moral Promotion Center (Public Organization)' },
    data_source: 'ทะเบียนเครือข่ายคุณธรรม (GraphQL API)',
    license_id: 'Open Data Common',
    license_title: 'Open Data Common',
    data_type: t.dataType,
    data_category: 'ข้อมูลสาธารณะ',
    data_classification: 'ข้อมูลสาธารณะ',
    geo_coverage: scope.province ? 'จังหวัด' : scope.region ? 'ภาค' : 'ประเทศ',
    geo_coverage_detail: place ? { code: place.code, name_th: place.nameTh } : { code: 'TH', name_th: 'ประเทศไทย' },
    first_year_of_data: Math.min(...years),
    last_year_of_data: Math.max(...years),
    year_system: 'ปีงบประมาณ พ.ศ. (Thai fiscal year, Buddhist Era)',
    update_frequency_unit: 'ปี',
    update_frequency_interval: 1,
    data_language: ['ไทย', 'อังกฤษ'],
    data_format: [...new Set(input.resources.map((r) => r.format))].join(', '),
    tag_string: ['คุณธรรม', 'จังหวัดคุณธรรม', 'เครือข่ายคุณธรรม', 'ศูนย์คุณธรรม'].join(','),
    created: (input.created ?? new Date()).toISOString(),
    resources: input.resources,
    row_count: input.rows,
    synthetic_included: scope.includeSynthetic,
    personal_data: 'no contact details (phone, e-mail, address are never exported)',
    columns: (input.columns ?? definition.columns).map((c) => ({
      name: c.name,
      type: c.type,
      description_th: c.descriptionTh,
      description_en: c.descriptionEn,
    })),
  };
}
