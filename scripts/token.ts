/**
 * Prints an access token for an account: `npm run token -- <email> <password>`.
 * A thin wrapper over the login mutation of a running gateway (GATEWAY_URL,
 * default http://127.0.0.1:4000/graphql).
 */
import { login } from './login';

const [email, password] = process.argv.slice(2);
if (!email || !password) {
  console.error('usage: npm run token -- <email> <password>');
  process.exit(2);
}
login(process.env.GATEWAY_URL ?? 'http://127.0.0.1:4000/graphql', email, password).then(
  (token) => console.log(token),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
