/**
 * Prints a signed development access token: `npm run token -- <userId> <role>`.
 * Roles: STUDENT, INSTRUCTOR, ADMIN. Uses JWT_SECRET like the gateway.
 */
import { isUuid, readSecret, signUserToken, USER_ROLES, type Role } from '@coursegraph/runtime';

const [userId, role = 'STUDENT'] = process.argv.slice(2);
if (!userId || !isUuid(userId) || !USER_ROLES.includes(role as Role)) {
  console.error(`usage: npm run token -- <userId (UUID)> <${USER_ROLES.join('|')}>`);
  process.exit(2);
}
console.log(signUserToken(readSecret('JWT_SECRET'), { userId: userId.toLowerCase(), roles: [role as Role] }, 24 * 60 * 60));
