/**
 * Who is calling the gateway: staff by JWT (`Authorization: Bearer …`, verified with jose against
 * an HS256 secret in development or the identity provider's JWKS in production), partner apps by
 * API key (`Authorization: ApiKey …` or `x-api-key`), everyone else anonymous. Bad credentials are
 * refused (HTTP 401), never downgraded to anonymous.
 */
import { GraphQLError } from 'graphql';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { ANONYMOUS, DEVELOPMENT_JWT_SECRET, existingProvince, ROLES, t, type Env, type Role, type Viewer } from '@moral-registry/common';
import { hashKey, looksLikeKey, type ApiKeyStore } from './api-keys.ts';

/** How far the gateway's clock and the identity provider's may disagree. */
export const JWT_CLOCK_TOLERANCE_SECONDS = 30;

export type Authenticate = (headers: Headers) => Promise<Viewer>;

export function authError(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: { 'www-authenticate': 'Bearer' } } },
  });
}

/** The JWT claims of a staff token: `sub`, `role`, `province` (provincial editors), `name`. */
export function viewerFromClaims(claims: Record<string, unknown>): Viewer {
  const role = claims.role as Role;
  if (typeof claims.sub !== 'string' || !claims.sub) throw authError(t('auth.tokenNoSubject'));
  if (!ROLES.includes(role) || role === 'ANONYMOUS')
    throw authError(t('auth.tokenRole', { roles: ROLES.filter((r) => r !== 'ANONYMOUS').join(', ') }));
  let provinceCode: string | null = null;
  if (typeof claims.province === 'string' && claims.province) {
    try {
      provinceCode = existingProvince('province', claims.province);
    } catch {
      throw authError(t('auth.tokenProvince', { province: String(claims.province).slice(0, 20) }));
    }
  }
  if (role === 'PROVINCIAL_EDITOR' && !provinceCode) throw authError(t('auth.editorNeedsProvince'));
  return {
    id: claims.sub,
    role,
    provinceCode: role === 'PROVINCIAL_EDITOR' ? provinceCode : null,
    name: typeof claims.name === 'string' ? claims.name : null,
  };
}

export function createAuthenticator(env: Env, keys: ApiKeyStore): Authenticate {
  const jwks: JWTVerifyGetKey | null = env.JWT_JWKS_URL ? createRemoteJWKSet(new URL(env.JWT_JWKS_URL)) : null;
  const secret = new TextEncoder().encode(env.JWT_SECRET ?? DEVELOPMENT_JWT_SECRET);
  const cacheMs = env.API_KEY_CACHE_SECONDS * 1000;
  const keyCache = new Map<string, { viewer: Viewer | null; until: number }>();

  async function byJwt(token: string): Promise<Viewer> {
    try {
      // A token must say when it was issued and when it expires, may not come from the future, and
      // may not live longer than JWT_MAX_LIFETIME_SECONDS: a leaked token stops working.
      const options = {
        issuer: env.JWT_ISSUER,
        audience: env.JWT_AUDIENCE,
        clockTolerance: JWT_CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp', 'iat'],
        maxTokenAge: env.JWT_MAX_LIFETIME_SECONDS,
      };
      const { payload } = jwks
        ? await jwtVerify(token, jwks, { ...options, algorithms: ['RS256', 'PS256', 'ES256', 'EdDSA'] })
        : await jwtVerify(token, secret, { ...options, algorithms: ['HS256'] });
      if (payload.exp! - payload.iat! > env.JWT_MAX_LIFETIME_SECONDS) {
        throw authError(t('auth.tokenTooLong', { max: env.JWT_MAX_LIFETIME_SECONDS }));
      }
      return viewerFromClaims(payload);
    } catch (error) {
      if (error instanceof GraphQLError) throw error;
      const code = (error as { code?: string }).code;
      const claim = (error as { claim?: string }).claim;
      if (code === 'ERR_JWT_EXPIRED') throw authError(t('auth.tokenExpired'));
      if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && (claim === 'exp' || claim === 'iat'))
        throw authError(t('auth.tokenClaim', { claim }));
      throw authError(t('auth.tokenInvalid'));
    }
  }

  async function byKey(key: string): Promise<Viewer> {
    if (!looksLikeKey(key)) throw authError(t('auth.apiKeyInvalid'));
    const hash = hashKey(key);
    const cached = keyCache.get(hash);
    let viewer: Viewer | null;
    if (cached && cached.until > Date.now()) viewer = cached.viewer;
    else {
      const record = await keys.findByHash(hash);
      viewer = record ? { id: `apikey:${record.id}`, role: record.role, provinceCode: record.provinceCode, name: record.name } : null;
      if (cacheMs > 0) keyCache.set(hash, { viewer, until: Date.now() + cacheMs });
    }
    if (!viewer) throw authError(t('auth.apiKeyRevoked'));
    return viewer;
  }

  return async (headers) => {
    const authorization = headers.get('authorization')?.trim();
    const apiKey = headers.get('x-api-key')?.trim();
    if (authorization) {
      const [scheme, ...rest] = authorization.split(/\s+/);
      const credential = rest.join(' ');
      if (!credential) throw authError(t('auth.noCredential'));
      if (/^bearer$/i.test(scheme!)) return byJwt(credential);
      if (/^apikey$/i.test(scheme!)) return byKey(credential);
      throw authError(t('auth.scheme'));
    }
    if (apiKey) return byKey(apiKey);
    return ANONYMOUS;
  };
}
