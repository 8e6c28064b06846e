/**
 * Development staff tokens: HS256 JWTs signed with JWT_SECRET (or the public development secret), with
 * the claims the gateway reads (sub, role, province, name). In production staff tokens come from the
 * identity provider (JWT_JWKS_URL); this signer refuses to run there.
 */
import { SignJWT } from 'jose';
import { DEVELOPMENT_JWT_SECRET, existingProvince, ROLES, type Env, type Role } from '@moral-registry/common';

export interface StaffTokenClaims {
  sub: string;
  role: Role;
  province?: string | null;
  name?: string | null;
  /** jose duration: '8h', '30m', '7d'. */
  expiresIn?: string;
}

export async function signStaffToken(env: Env, claims: StaffTokenClaims): Promise<string> {
  if (env.NODE_ENV === 'production' || env.JWT_JWKS_URL) {
    throw new Error('Staff tokens come from the identity provider (JWT_JWKS_URL) here; development tokens are refused');
  }
  if (!ROLES.includes(claims.role) || claims.role === 'ANONYMOUS')
    throw new Error(`role must be one of ${ROLES.filter((r) => r !== 'ANONYMOUS').join(', ')}`);
  const province = claims.province ? existingProvince('province', claims.province) : null;
  if (claims.role === 'PROVINCIAL_EDITOR' && !province) throw new Error('a PROVINCIAL_EDITOR token needs --province');
  return new SignJWT({ role: claims.role, ...(province ? { province } : {}), ...(claims.name ? { name: claims.name } : {}) })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub)
    .setIssuer(env.JWT_ISSUER)
    .setAudience(env.JWT_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(claims.expiresIn ?? '8h')
    .sign(new TextEncoder().encode(env.JWT_SECRET ?? DEVELOPMENT_JWT_SECRET));
}
