import type { Sql } from '@prisma/client/runtime/client';

/** Any Prisma client: only raw queries are needed. */
export interface RawQuerier {
  $queryRaw<T = unknown>(query: Sql): PromiseLike<T>;
}
