/**
 * Prints an access token for an account: `npm run token -- <email> <password>`.
 * A thin wrapper over the login mutation of a running gateway: GATEWAY_URL,
 * else 127.0.0.1 on GATEWAY_PORT, read from the environment or `.env` like
 * `npm start` does.
 */
import { gatewayUrl, loadDotEnv } from './env';
import { login } from './login';

loadDotEnv();
const [email, password] = process.argv.slice(2);
if (!email || !password) {
  console.error('usage: npm run token -- <email> <password>');
  process.exit(2);
}
login(gatewayUrl(), email, password).then(
  (token) => console.log(token),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
