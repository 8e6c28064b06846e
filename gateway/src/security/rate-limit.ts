/**
 * Rate limits (docs/SECURITY.md, "Rate limits"): each API key, each staff member (JWT subject) and
 * each anonymous client address (tighter) may make so many requests per window. The counters live in
 * Redis when REDIS_URL is set, so every gateway replica counts against the same limit; otherwise in
 * this process's memory. Over the limit: HTTP 429, Retry-After, and a GraphQL error RATE_LIMITED.
 */
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { GatewayPlugin } from '@graphql-hive/gateway';
import type { Caller, CallerKind, Callers } from './caller.ts';
import { t } from '@moral-registry/common';

export const RATE_LIMITED = 'RATE_LIMITED';

export interface RateLimitSettings {
  windowSeconds: number;
  /** Requests per window for each kind of caller. */
  points: Record<CallerKind, number>;
  /** Set: counters in this Redis; unset: in memory. */
  redisUrl?: string;
  keyPrefix: string;
}

/** Which counter a request counts against. */
export function rateLimitKey(caller: Caller): string {
  if (caller.apiKeyId) return `key:${caller.apiKeyId}`;
  if (caller.viewer && caller.kind !== 'anonymous') return `sub:${caller.viewer.id}`;
  // Refused credentials count against the address, like anonymous requests: guessing keys is limited too.
  return `ip:${caller.ip}`;
}

export interface RateLimiter {
  plugin: GatewayPlugin;
  close(): Promise<void>;
}

/** How long a starting gateway waits for Redis before counting in memory until Redis answers. */
const REDIS_WAIT_MS = 2000;

export async function createRateLimiter(
  settings: RateLimitSettings,
  callers: Callers,
  isGraphQLRoute: (request: Request, url: URL) => boolean,
): Promise<RateLimiter> {
  // No offline queue: while Redis is away a count fails at once and the in-memory insurance limiter
  // answers, instead of every request waiting for a reconnection.
  const redis = settings.redisUrl ? new Redis(settings.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 }) : null;
  if (redis) {
    redis.on('error', () => undefined);
    await new Promise<void>((resolve) => {
      redis.once('ready', resolve);
      setTimeout(resolve, REDIS_WAIT_MS).unref();
    });
  }
  const limiters = Object.fromEntries(
    (Object.keys(settings.points) as CallerKind[]).map((kind) => {
      const options = { points: settings.points[kind], duration: settings.windowSeconds, keyPrefix: `${settings.keyPrefix}:${kind}` };
      const limiter: RateLimiterAbstract = redis
        ? new RateLimiterRedis({ ...options, storeClient: redis, insuranceLimiter: new RateLimiterMemory(options) })
        : new RateLimiterMemory(options);
      return [kind, limiter];
    }),
  ) as Record<CallerKind, RateLimiterAbstract>;

  const outcome = new WeakMap<Request, { limit: number; remaining: number }>();

  const plugin: GatewayPlugin = {
    async onRequest({ request, url, endResponse, fetchAPI, serverContext }) {
      if (!isGraphQLRoute(request, url) || request.method === 'OPTIONS') return;
      const socket = (serverContext as { req?: { socket?: { remoteAddress?: string } } }).req?.socket;
      const caller = await callers.identify(request, socket?.remoteAddress);
      const limit = settings.points[caller.kind];
      try {
        const result = await limiters[caller.kind].consume(rateLimitKey(caller));
        outcome.set(request, { limit, remaining: result.remainingPoints });
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        const retryAfter = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
        const body = {
          errors: [
            {
              message: t('limits.rate', { limit, window: settings.windowSeconds, retryAfter }),
              extensions: { code: RATE_LIMITED, retryAfter },
            },
          ],
        };
        endResponse(
          new fetchAPI.Response(JSON.stringify(body), {
            status: 429,
            headers: {
              'content-type': 'application/json; charset=utf-8',
              'retry-after': String(retryAfter),
              'x-ratelimit-limit': String(limit),
              'x-ratelimit-remaining': '0',
            },
          }),
        );
      }
    },
    onResponse({ request, response }) {
      const counted = outcome.get(request);
      if (!counted) return;
      response.headers.set('x-ratelimit-limit', String(counted.limit));
      response.headers.set('x-ratelimit-remaining', String(counted.remaining));
    },
  };

  return {
    plugin,
    async close() {
      if (redis) await redis.quit().catch(() => redis.disconnect());
    },
  };
}
