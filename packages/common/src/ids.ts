import { createHash } from 'node:crypto';

/**
 * A UUID derived from a natural key (name-based, SHA-1, as UUID v5 does), so that loading the same
 * reference or demo record twice yields the same id and changes nothing.
 */
export function stableId(namespace: string, key: string): string {
  const hex = createHash('sha1').update(`${namespace}\u0000${key}`).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A key-only reference to another subgraph's entity keyed by code (Province, District, Region, Nation, NetworkSector). */
export interface CodeRef {
  code: string;
}

/** A key-only reference to another subgraph's entity keyed by id (Agency, Network). */
export interface IdRef {
  id: string;
}
