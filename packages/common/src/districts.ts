/**
 * A record's district (agencies and activities name one; the networks subgraph owns the districts).
 * One way for single writes and batch imports alike: a blank value is no district; a code has the
 * DOPA shape (Thai digits accepted), lies in the record's province, and is one the networks subgraph
 * knows — asked once per write or per batch, never per row.
 */
import { badUserInput } from './errors.ts';
import { t } from './i18n/index.ts';
import type { Peers } from './peers.ts';
import { districtCodeShape, districtInProvince } from './validate.ts';

/** The district code a value names, or null when it is missing or blank (a spreadsheet cell of spaces). */
export function optionalDistrictCode(field: string, value: string | null | undefined): string | null {
  return value?.trim() ? districtCodeShape(field, value) : null;
}

/** Which of these district codes the networks subgraph knows: one request for all of them (none when empty). */
export async function knownDistricts(peers: Peers, codes: Iterable<string>): Promise<ReadonlySet<string>> {
  const unique = [...new Set(codes)];
  const found = await peers.entities<{ code: string }>(
    'networks',
    'District',
    unique.map((code) => ({ code })),
    'code',
  );
  return new Set(found.flatMap((district) => (district ? [district.code] : [])));
}

/** The district is one `knownDistricts` found; BAD_USER_INPUT naming the code otherwise. */
export function assertKnownDistrict(field: string, code: string, known: ReadonlySet<string>): void {
  if (!known.has(code)) throw badUserInput(field, t('input.districtUnknown', { field, code }));
}

/** A record's district checked in full: its shape, its province, and known to the networks subgraph. */
export function checkedDistrict(
  field: string,
  value: string | null | undefined,
  provinceCode: string | null,
  known: ReadonlySet<string>,
): string | null {
  const code = optionalDistrictCode(field, value);
  if (code) {
    districtInProvince(field, code, provinceCode);
    assertKnownDistrict(field, code, known);
  }
  return code;
}
