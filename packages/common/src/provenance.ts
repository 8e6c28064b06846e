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
