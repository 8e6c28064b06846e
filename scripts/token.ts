/**
 * A development sign-in token for a role, signed with JWT_SECRET (or the public development secret):
 *   npm run -s token -- --role PROVINCIAL_EDITOR --province TH-14 [--sub editor-14] [--name "…"] [--expires 8h]
 * Prints only the token, so `TOKEN=$(npm run -s token -- --role NATIONAL_ADMIN)` works. Refused in
 * production and when JWT_JWKS_URL is set (tokens then come from the identity provider).
 */
import { parseArgs } from 'node:util';
import { readEnv, type Role } from '../packages/common/src/index.ts';
import { signStaffToken } from '../gateway/src/tokens.ts';

const { values } = parseArgs({
  options: {
    role: { type: 'string' },
    province: { type: 'string' },
    sub: { type: 'string' },
    name: { type: 'string' },
    expires: { type: 'string', default: '8h' },
  },
});
if (!values.role) {
  console.error(
    'usage: npm run -s token -- --role NATIONAL_ADMIN|PROVINCIAL_EDITOR|STAFF_READER|PARTNER [--province TH-14] [--sub id] [--name "…"] [--expires 8h]',
  );
  process.exit(2);
}
try {
  const role = values.role.toUpperCase() as Role;
  const sub = values.sub ?? `dev-${role.toLowerCase()}${values.province ? `-${values.province.toLowerCase()}` : ''}`;
  console.log(await signStaffToken(readEnv(), { sub, role, province: values.province, name: values.name, expiresIn: values.expires }));
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
