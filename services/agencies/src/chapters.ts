/**
 * Which network chapter an agency belongs to: the chapter of its sector in its province. One rule for
 * every write path (createAgency, updateAgency, importAgencies): an agency given a sector but no network
 * joins that province's chapter of the sector, as the importer has always done. The chapters live in
 * the networks subgraph; we ask it for all provinces of a write (or a whole batch) in one request.
 */
import type { Context } from './context.ts';

interface ProvinceChapters {
  code: string;
  networks: { id: string; sector: { code: string } | null }[];
}

export interface Chapters {
  /** The chapter of `sector` in `province`, or null (a national agency, or a province without one). */
  of(province: string | null, sector: string | null): string | null;
}

export async function chaptersOf(context: Context, provinces: Iterable<string>): Promise<Chapters> {
  const codes = [...new Set(provinces)];
  const found = codes.length
    ? await context.peers.entities<ProvinceChapters>(
        'networks',
        'Province',
        codes.map((code) => ({ code })),
        'code networks { id sector { code } }',
      )
    : [];
  const chapter = new Map<string, string>();
  for (const province of found)
    for (const network of province?.networks ?? []) if (network.sector) chapter.set(`${province!.code}|${network.sector.code}`, network.id);
  return {
    of: (province, sector) => (province && sector ? (chapter.get(`${province}|${sector}`) ?? null) : null),
  };
}
