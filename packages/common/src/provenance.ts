import { badUserInput, echo } from './errors.ts';
import { t } from './i18n/index.ts';

export type ProvenanceKind = 'REFERENCE_DATA' | 'SOURCE_DOCUMENT' | 'IMPORT' | 'USER_ENTRY' | 'SYNTHETIC';

export interface ProvenanceColumns {
  sourceKind: ProvenanceKind;
  sourceLabel: string;
  sourceUrl: string | null;
}

export const SYNTHETIC_LABEL = 'synthetic demo data';

/** The GraphQL `Provenance` of a row that carries the three provenance columns. */
export function provenanceOf(row: ProvenanceColumns) {
  return { kind: row.sourceKind, label: row.sourceLabel, url: row.sourceUrl, synthetic: row.sourceKind === 'SYNTHETIC' };
}

/** The Moral Promotion Center news item of 16 December 2564 this project starts from. */
export const SEED_NEWS = {
  sourceKind: 'SOURCE_DOCUMENT' as const,
  sourceLabel: 'ศูนย์คุณธรรม (องค์การมหาชน), ข่าว 16 ธันวาคม 2564: หารือเตรียมการขับเคลื่อนจังหวัดคุณธรรม (จังหวัดพระนครศรีอยุธยา) ปีที่ 3',
  sourceUrl: null,
};

export const SYNTHETIC = { sourceKind: 'SYNTHETIC' as const, sourceLabel: SYNTHETIC_LABEL, sourceUrl: null };

/** Longest source URL stored (browsers and servers commonly stop at about 2,000). */
export const MAX_URL_LENGTH = 2000;

const CALLER_KINDS = ['USER_ENTRY', 'IMPORT', 'SYNTHETIC'] as const;

/**
 * The provenance columns of a record written through the API (input ProvenanceInput): USER_ENTRY by
 * default, IMPORT for spreadsheet imports, SYNTHETIC for demo data; reference data and source
 * documents are loaded by the seeds, not by callers.
 */
export function sourceFromInput(
  input: { kind?: string | null; label?: string | null; url?: string | null } | null | undefined,
  viewer: { id: string; name?: string | null },
) {
  const kind = input?.kind ?? 'USER_ENTRY';
  if (!(CALLER_KINDS as readonly string[]).includes(kind)) {
    throw badUserInput('source.kind', t('input.sourceKind', { kind: echo(kind), allowed: CALLER_KINDS.join(', ') }));
  }
  const label = input?.label?.normalize('NFC').replace(/\s+/g, ' ').trim();
  if (label && label.length > 500) throw badUserInput('source.label', t('input.tooLongNoCount', { field: 'source.label', max: 500 }));
  const url = input?.url?.trim() || null;
  if (url && url.length > MAX_URL_LENGTH)
    throw badUserInput('source.url', t('input.tooLong', { field: 'source.url', max: MAX_URL_LENGTH, length: url.length }));
  if (url && (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol))) {
    throw badUserInput('source.url', t('input.sourceUrl', { value: echo(url) }));
  }
  return {
    sourceKind: kind as (typeof CALLER_KINDS)[number],
    sourceLabel: label || `บันทึกผ่าน API โดย ${viewer.name ?? viewer.id}`,
    sourceUrl: url,
  };
}
