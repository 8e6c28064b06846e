/**
 * Who is calling, known before the GraphQL request is even parsed: rate limits, trusted documents,
 * introspection and field suggestions all depend on it, and some of them run before the gateway's
 * context (and its `viewer`) is built. Every check asks the same memoized authentication that
 * gateway.ts's auth plugin uses, so a request is authenticated once.
 */
import { STAFF_ROLES, type Viewer } from '@moral-registry/common';
import type { Authenticate } from '../auth.ts';

/** Authenticates each request's headers once; later calls get the same answer (or the same 401). */
export function authenticateOnce(authenticate: Authenticate): Authenticate {
  const seen = new WeakMap<Headers, Promise<Viewer>>();
  return (headers) => {
    let viewer = seen.get(headers);
    if (!viewer) {
      viewer = authenticate(headers);
      seen.set(headers, viewer);
    }
    return viewer;
  };
}

export type CallerKind = 'anonymous' | 'partner' | 'staff';

export interface Caller {
  /** Null when the credentials were refused (the auth plugin answers 401 later). */
  viewer: Viewer | null;
  kind: CallerKind;
  /** Set for callers that came with an API key. */
  apiKeyId: string | null;
  /** The client's address (see clientAddress). */
  ip: string;
}

const API_KEY_PREFIX = 'apikey:';

export function callerOf(viewer: Viewer | null, ip: string): Caller {
  const apiKeyId = viewer?.id.startsWith(API_KEY_PREFIX) ? viewer.id.slice(API_KEY_PREFIX.length) : null;
  let kind: CallerKind = 'anonymous';
  if (viewer && STAFF_ROLES.includes(viewer.role)) kind = 'staff';
  else if (viewer?.role === 'PARTNER') kind = 'partner';
  return { viewer, kind, apiKeyId, ip };
}

/**
 * The client's address: the socket's peer, or — behind `trustedProxies` reverse proxies that each
 * append to X-Forwarded-For — the address the outermost trusted proxy saw. Entries further left are
 * written by the client itself and are never trusted.
 */
export function clientAddress(socketAddress: string | undefined, forwardedFor: string | null, trustedProxies: number): string {
  const chain = [
    ...(forwardedFor ?? '')
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean),
    socketAddress ?? 'unknown',
  ];
  return chain[Math.max(0, chain.length - 1 - trustedProxies)]!;
}

/** The callers identified so far, by request; filled in by the first plugin that sees the request. */
export class Callers {
  private readonly byRequest = new WeakMap<Request, Caller>();
  constructor(
    private readonly authenticate: Authenticate,
    private readonly trustedProxies: number,
  ) {}

  async identify(request: Request, socketAddress: string | undefined): Promise<Caller> {
    const known = this.byRequest.get(request);
    if (known) return known;
    const viewer = await this.authenticate(request.headers).catch(() => null);
    const caller = callerOf(viewer, clientAddress(socketAddress, request.headers.get('x-forwarded-for'), this.trustedProxies));
    this.byRequest.set(request, caller);
    return caller;
  }

  /** The caller of a request already identified; an unidentified request is treated as anonymous. */
  get(request: Request): Caller {
    return this.byRequest.get(request) ?? callerOf(null, 'unknown');
  }
}
