/**
 * Response caching for public reads (@envelop/response-cache): answers made only of provinces,
 * regions, the nation, districts, sectors, stats and rankings are cached for anonymous callers and
 * partner apps, one entry per role; staff answers are never cached. Any answer that touches another
 * type (agencies, people, activities, recognitions, audit trails: anything that may carry personal
 * data), or that has an error, is not cached.
 *
 * Invalidation: stats aggregate many records, so instead of tracking which entry a write touches,
 * every successful mutation through the gateway bumps a generation number that is part of every cache
 * key; older entries are never read again and expire by their TTL. With REDIS_URL the entries and the
 * generation live in Redis, so a write through one gateway replica is seen by the next read on any.
 */
import { randomUUID } from 'node:crypto';
import { Kind, getOperationAST, parse, type DocumentNode, type ExecutionResult, type TypeNode } from 'graphql';
import { Redis } from 'ioredis';
import {
  createInMemoryCache,
  defaultBuildResponseCacheKey,
  useResponseCache,
  type BuildResponseCacheKeyFunction,
  type Cache,
} from '@envelop/response-cache';
import { createRedisCache } from '@envelop/response-cache-redis';
import type { GatewayPlugin } from '@graphql-hive/gateway';
import type { Env, Role, Viewer } from '@moral-registry/common';

/** Reference data: changes rarely (province names, region membership). */
export const REFERENCE_TYPES = ['Province', 'Region', 'Nation', 'District', 'NetworkSector'] as const;
/** Figures that change with every write: `*Stats`, rankings and trends, and the types inside them. */
const STATS_ROOTS = [/Stats$/, /TrendPoint$/, /^ProvinceRank$/];
/** Roles whose answers may be cached (keyed by role). Staff answers may carry contact details or audit trails. */
const CACHED_ROLES: readonly Role[] = ['ANONYMOUS', 'PARTNER'];

const GENERATION_KEY = 'generation';

export interface CacheTtls {
  referenceMs: number;
  statsMs: number;
}

function namedType(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type);
}

/**
 * TTL per type name for the cache (milliseconds; the plugin takes the smallest of the types in an
 * answer): reference types long, stats types short, every other object type of the supergraph 0
 * (never cached), so a type added later stays uncached until someone decides otherwise. The types
 * inside stats count as stats, but never an entity (an agency listed in a stats object is an agency).
 */
export function cacheTtls(supergraph: DocumentNode, ttls: CacheTtls): Record<string, number> {
  const objectTypes = new Map<string, string[]>();
  const entities = new Set<string>();
  for (const def of supergraph.definitions) {
    if (def.kind === Kind.OBJECT_TYPE_DEFINITION || def.kind === Kind.OBJECT_TYPE_EXTENSION) {
      const fields = objectTypes.get(def.name.value) ?? [];
      fields.push(...(def.fields ?? []).map((f) => namedType(f.type)));
      objectTypes.set(def.name.value, fields);
      const keyed = def.directives?.some((d) => d.name.value === 'join__type' && d.arguments?.some((a) => a.name.value === 'key'));
      if (keyed) entities.add(def.name.value);
    }
  }
  const reference = new Set<string>(REFERENCE_TYPES);
  const stats = new Set<string>();
  const visit = (name: string) => {
    if (stats.has(name) || reference.has(name) || entities.has(name) || !objectTypes.has(name)) return;
    stats.add(name);
    objectTypes.get(name)!.forEach(visit);
  };
  [...objectTypes.keys()].filter((name) => STATS_ROOTS.some((re) => re.test(name))).forEach(visit);
  const result: Record<string, number> = {};
  for (const name of objectTypes.keys()) {
    // The root type tags every answer; it must not decide the TTL.
    if (name === 'Query') continue;
    result[name] = reference.has(name) ? ttls.referenceMs : stats.has(name) ? ttls.statsMs : 0;
  }
  return result;
}

/** Where entries live, and the generation that every key carries (see the top of this file). */
interface CacheStore {
  cache: Cache;
  generation(): Promise<number | null>;
  bumpGeneration(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The library records, for each entry, the entities in it (for per-entity invalidation). We
 * invalidate by generation instead, so those records would only pile up: entries are stored alone.
 */
function withoutEntityRecords(cache: Cache): Cache {
  return { get: (id) => cache.get(id), set: (id, data, _entities, ttl) => cache.set(id, data, [], ttl), invalidate: () => undefined };
}

function memoryStore(): CacheStore {
  let generation = 0;
  return {
    cache: withoutEntityRecords(createInMemoryCache({ max: 1000 })),
    generation: async () => generation,
    bumpGeneration: async () => {
      generation += 1;
    },
    close: async () => undefined,
  };
}

type Log = (message: string, error: unknown) => void;

/**
 * Redis: a cache that is down or slow must not fail or stall reads, so commands fail at once while
 * disconnected (no offline queue), time out after 500 ms, and every failure counts as a miss.
 */
async function redisStore(url: string, prefix: string, log: Log): Promise<CacheStore> {
  const redis = new Redis(url, {
    keyPrefix: prefix,
    lazyConnect: true,
    enableOfflineQueue: false,
    commandTimeout: 500,
    maxRetriesPerRequest: 1,
  });
  let lastError = 0;
  redis.on('error', (error) => {
    // ioredis retries in the background; one line every 10 s is enough.
    if (Date.now() - lastError > 10_000) log('Redis is unreachable; the response cache misses until it is back', error);
    lastError = Date.now();
  });
  // Wait a little for the connection, so the first reads after start-up are cached; never block start-up on it.
  await Promise.race([redis.connect(), new Promise((resolve) => setTimeout(resolve, 2000))]).catch(() => undefined);
  const cache = createRedisCache({ redis });
  return {
    cache: {
      get: async (id) => (await Promise.resolve(cache.get(id)).catch(() => null)) ?? null,
      set: (id, data, _entities, ttl) =>
        Promise.resolve(cache.set(id, data, [], ttl)).catch((error) => log('Could not store an answer in Redis', error)),
      invalidate: () => undefined,
    },
    generation: async () => {
      try {
        return Number((await redis.get(GENERATION_KEY)) ?? 0);
      } catch {
        return null;
      }
    },
    bumpGeneration: async () => {
      try {
        await redis.incr(GENERATION_KEY);
      } catch (error) {
        log('Could not clear the response cache after a write: other replicas may answer from it until the TTL ends', error);
      }
    },
    close: async () => {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

interface CacheContext {
  viewer?: Viewer;
}

/** A mutation left something written when at least one of its root fields returned a value. */
function wroteSomething(result: unknown): boolean {
  const data = (result as ExecutionResult | null)?.data;
  return !!data && Object.values(data).some((value) => value !== null && value !== undefined);
}

export interface ResponseCacheOptions {
  env: Env;
  /** The supergraph SDL the gateway serves (for the TTL of each type). */
  supergraph: string;
  log: Log;
}

/** The response cache as gateway plugins, or none when GATEWAY_CACHE_ENABLED=false. */
export async function responseCachePlugins({ env, supergraph, log }: ResponseCacheOptions): Promise<GatewayPlugin<CacheContext>[]> {
  if (!env.GATEWAY_CACHE_ENABLED) return [];
  const store = env.REDIS_URL ? await redisStore(env.REDIS_URL, env.GATEWAY_CACHE_REDIS_PREFIX, log) : memoryStore();
  const ttlPerSchemaCoordinate = cacheTtls(parse(supergraph), {
    referenceMs: env.GATEWAY_CACHE_REFERENCE_TTL_SECONDS * 1000,
    statsMs: env.GATEWAY_CACHE_STATS_TTL_SECONDS * 1000,
  });
  const mutations = new WeakSet<object>();

  // The generation is part of the key: after a write, every key is new.
  const buildResponseCacheKey: BuildResponseCacheKeyFunction = async (params) => {
    const generation = await store.generation();
    // Generation unknown (Redis down): a key that is never used again, i.e. no caching.
    if (generation === null) return `uncached:${randomUUID()}`;
    return `${await defaultBuildResponseCacheKey(params)}:${generation}`;
  };

  // Runs before the cache: marks mutations (never cached) and, once one has written, clears the cache
  // before its answer leaves, so the caller's next read is fresh.
  const invalidateOnWrite: GatewayPlugin<CacheContext> = {
    onExecute({ args, executeFn, setExecuteFn }) {
      if (getOperationAST(args.document, args.operationName)?.operation !== 'mutation') return;
      mutations.add(args.contextValue);
      setExecuteFn(async (executionArgs) => {
        const result = await executeFn(executionArgs);
        if (wroteSomething(result)) await store.bumpGeneration();
        return result;
      });
    },
    onDispose: () => store.close(),
  };

  const cache = useResponseCache<CacheContext>({
    cache: store.cache,
    ttl: 0, // an answer with no known type (say, only __typename) is not cached
    ttlPerSchemaCoordinate,
    session: (context) => context.viewer?.role ?? null,
    enabled: (context) => !mutations.has(context) && !!context.viewer && CACHED_ROLES.includes(context.viewer.role),
    invalidateViaMutation: false,
    buildResponseCacheKey,
    shouldCacheResult: ({ result }) => !result.errors?.length,
    // `extensions.responseCache: { hit, didCache, ttl }` tells clients (and tests) how fresh an answer is.
    includeExtensionMetadata: true,
  }) as GatewayPlugin<CacheContext>;

  return [invalidateOnWrite, cache];
}
