import DataLoader from 'dataloader';

/**
 * A per-request DataLoader that fetches many keys with one statement and maps the rows back to the
 * keys; missing keys resolve to null.
 */
export function loaderByKey<K extends string | number, V>(
  fetch: (keys: readonly K[]) => Promise<V[]>,
  keyOf: (row: V) => K,
): DataLoader<K, V | null> {
  return new DataLoader<K, V | null>(async (keys) => {
    const rows = await fetch(keys);
    const byKey = new Map(rows.map((row) => [keyOf(row), row]));
    return keys.map((key) => byKey.get(key) ?? null);
  });
}

/** A Prisma model (`prisma.agency`), as far as finding its rows by a list of keys goes. */
interface RowsByKey<Key extends 'id' | 'code', V> {
  findMany(args: { where: { [K in Key]: { in: string[] } } }): PromiseLike<V[]>;
}

/** `loaderByKey` on a table's `id`: rows by id, archived ones included (a reference to one still resolves). */
export function loaderById<V extends { id: string }>(table: RowsByKey<'id', V>): DataLoader<string, V | null> {
  return loaderByKey(
    async (ids: readonly string[]) => table.findMany({ where: { id: { in: [...ids] } } }),
    (row) => row.id,
  );
}

/** `loaderByKey` on a code table's `code` (provinces, districts, regions, sectors). */
export function loaderByCode<V extends { code: string }>(table: RowsByKey<'code', V>): DataLoader<string, V | null> {
  return loaderByKey(
    async (codes: readonly string[]) => table.findMany({ where: { code: { in: [...codes] } } }),
    (row) => row.code,
  );
}

/** A per-request DataLoader for one-to-many: every key resolves to the (possibly empty) list of its rows. */
export function loaderOfLists<K extends string | number, V>(
  fetch: (keys: readonly K[]) => Promise<V[]>,
  keyOf: (row: V) => K,
): DataLoader<K, V[]> {
  return new DataLoader<K, V[]>(async (keys) => {
    const rows = await fetch(keys);
    const byKey = new Map<K, V[]>();
    for (const row of rows) {
      const list = byKey.get(keyOf(row));
      if (list) list.push(row);
      else byKey.set(keyOf(row), [row]);
    }
    return keys.map((key) => byKey.get(key) ?? []);
  });
}

/** A per-request DataLoader of counts per key, fetched in one statement; a key without rows counts 0. */
export function countLoader<K extends string | number>(fetch: (keys: readonly K[]) => Promise<Map<K, number>>): DataLoader<K, number> {
  return new DataLoader<K, number>(async (keys) => {
    const counts = await fetch(keys);
    return keys.map((key) => counts.get(key) ?? 0);
  });
}

/**
 * A loader whose keys carry an argument (e.g. a fiscal year): keys with the same argument are
 * fetched together, one statement per distinct argument.
 */
export function loaderByArg<A extends string | number, K extends string, V>(
  fetch: (arg: A, keys: readonly K[]) => Promise<Map<K, V>>,
  fallback: (key: K, arg: A) => V,
): DataLoader<{ arg: A; key: K }, V, string> {
  return new DataLoader<{ arg: A; key: K }, V, string>(
    async (requests) => {
      const byArg = new Map<A, K[]>();
      for (const { arg, key } of requests) {
        const keys = byArg.get(arg);
        if (keys) keys.push(key);
        else byArg.set(arg, [key]);
      }
      const results = new Map<A, Map<K, V>>();
      await Promise.all([...byArg].map(async ([arg, keys]) => results.set(arg, await fetch(arg, keys))));
      return requests.map(({ arg, key }) => results.get(arg)?.get(key) ?? fallback(key, arg));
    },
    { cacheKeyFn: ({ arg, key }) => `${arg}\u0000${key}` },
  );
}

/**
 * Loader of one list per parent with arguments (filters, order, paging): parents asking with the same
 * arguments are fetched together, in one statement.
 */
export function listLoader<A, V>(
  fetch: (keys: readonly string[], args: A) => Promise<Map<string, V>>,
): DataLoader<{ key: string; args: A }, V, string> {
  const groupOf = (args: A) => JSON.stringify(args);
  return new DataLoader<{ key: string; args: A }, V, string>(
    async (requests) => {
      const groups = new Map<string, { args: A; keys: string[] }>();
      for (const { key, args } of requests) {
        const id = groupOf(args);
        (groups.get(id) ?? groups.set(id, { args, keys: [] }).get(id)!).keys.push(key);
      }
      const results = new Map<string, Map<string, V>>();
      await Promise.all([...groups].map(async ([id, { args, keys }]) => results.set(id, await fetch([...new Set(keys)], args))));
      return requests.map(({ key, args }) => results.get(groupOf(args))!.get(key)!);
    },
    { cacheKeyFn: ({ key, args }) => `${key}\u0000${groupOf(args)}` },
  );
}
