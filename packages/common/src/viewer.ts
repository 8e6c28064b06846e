/**
 * Who is asking. The gateway authenticates the caller (JWT or API key) and forwards the viewer to
 * the subgraphs in one header, signed with a secret only the gateway and the subgraphs share
 * (HS256 via jose). A subgraph trusts nothing else: a request without the header, with a forged
 * signature or with an expired one is refused with UNAUTHENTICATED, so a subgraph reached directly
 * cannot be used to bypass the gateway.
 */
import { GraphQLError } from 'graphql';
import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import { t } from './i18n/index.ts';

export const ROLES = ['NATIONAL_ADMIN', 'PROVINCIAL_EDITOR', 'STAFF_READER', 'PARTNER', 'ANONYMOUS'] as const;
export type Role = (typeof ROLES)[number];

/** Staff roles see personal data and the audit trail. */
export const STAFF_ROLES: readonly Role[] = ['NATIONAL_ADMIN', 'PROVINCIAL_EDITOR', 'STAFF_READER'];
/** Roles that may write (a provincial editor in its own province only). */
export const EDITOR_ROLES: readonly Role[] = ['NATIONAL_ADMIN', 'PROVINCIAL_EDITOR'];
export const NATIONAL_ONLY: readonly Role[] = ['NATIONAL_ADMIN'];

export interface Viewer {
  /** JWT subject or `apikey:<id>`; `anonymous` for anonymous callers. */
  id: string;
  role: Role;
  /** The province of a provincial editor (ISO code); null otherwise. */
  provinceCode: string | null;
  /** Display name, for the audit trail. */
  name?: string | null;
}

export const ANONYMOUS: Viewer = Object.freeze({ id: 'anonymous', role: 'ANONYMOUS', provinceCode: null, name: null });

export const VIEWER_HEADER = 'x-registry-viewer';
export const REQUEST_ID_HEADER = 'x-request-id';
const AUDIENCE = 'moral-registry-subgraphs';
const ISSUER = 'moral-registry-gateway';

export const isStaff = (viewer: Viewer): boolean => STAFF_ROLES.includes(viewer.role);

function key(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

/** The header value for a viewer: a short-lived HS256 JWT. */
export async function signViewer(viewer: Viewer, secret: string, ttlSeconds = DEFAULT_VIEWER_TTL_SECONDS): Promise<string> {
  return new SignJWT({ role: viewer.role, province: viewer.provinceCode, name: viewer.name ?? null })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(viewer.id)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(key(secret));
}

function unauthenticated(reason: string): GraphQLError {
  return new GraphQLError(t('access.subgraphOnlyGateway', { reason }), {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
  });
}

/** The default lifetime of a viewer header, and the longest one a subgraph accepts unless told otherwise. */
export const DEFAULT_VIEWER_TTL_SECONDS = 60;
const VIEWER_CLOCK_TOLERANCE_SECONDS = 5;

/**
 * Verifies the viewer header; throws UNAUTHENTICATED (HTTP 401) when missing, forged or expired, or
 * when it would live longer than `maxTtlSeconds` (VIEWER_TTL_SECONDS): a header captured from one
 * request is useful for that long at most, whatever lifetime its signer wrote.
 */
export async function verifyViewer(
  header: string | string[] | undefined,
  secret: string,
  maxTtlSeconds = DEFAULT_VIEWER_TTL_SECONDS,
): Promise<Viewer> {
  if (header === undefined || header === '' || Array.isArray(header)) throw unauthenticated(`missing ${VIEWER_HEADER} header`);
  try {
    const { payload } = await jwtVerify(header, key(secret), {
      algorithms: ['HS256'],
      audience: AUDIENCE,
      issuer: ISSUER,
      clockTolerance: VIEWER_CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['exp', 'iat', 'sub'],
      maxTokenAge: maxTtlSeconds,
    });
    if (payload.exp! - payload.iat! > maxTtlSeconds) throw unauthenticated(`the viewer header lives longer than ${maxTtlSeconds} s`);
    const role = payload.role as Role;
    if (!ROLES.includes(role)) throw unauthenticated('unknown role in the viewer header');
    const province = typeof payload.province === 'string' ? payload.province : null;
    if (role === 'PROVINCIAL_EDITOR' && !province) throw unauthenticated('a provincial editor without a province');
    return { id: payload.sub!, role, provinceCode: province, name: typeof payload.name === 'string' ? payload.name : null };
  } catch (error) {
    if (error instanceof GraphQLError) throw error;
    if (error instanceof joseErrors.JWTExpired) throw unauthenticated('the viewer header has expired');
    throw unauthenticated('the viewer header is not signed by the gateway');
  }
}
