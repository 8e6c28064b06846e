/**
 * Loads the agencies subgraph's part of the Ayutthaya case: the Moral Promotion Center, the 59
 * participating agencies (named ones real, the rest synthetic) and the people the source names.
 * Idempotent: existing rows are left as they are.
 */
import { AGENCIES, PEOPLE } from '@moral-registry/common/demo';
import type { AgenciesDatabase } from '../context.ts';

export async function seed(db: AgenciesDatabase): Promise<{ created: number }> {
  const agencies = await db.client.agency.createMany({ data: AGENCIES, skipDuplicates: true });
  const people = await db.client.person.createMany({ data: PEOPLE, skipDuplicates: true });
  return { created: agencies.count + people.count };
}
