/**
 * What the command-line scripts (`npm start`, `npm run token`) read before
 * anything else: the repository's `.env`, if there is one, under the
 * variables already set in the environment (which win), and the gateway URL
 * those settings imply.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';

/** Loads `<root>/.env` into process.env without overriding variables already set; returns whether a file was read. */
export function loadDotEnv(root = join(__dirname, '..')): boolean {
  const file = join(root, '.env');
  if (!existsSync(file)) return false;
  // Node's own .env syntax (as `node --env-file`); set only what is not set already.
  for (const [name, value] of Object.entries(parseEnv(readFileSync(file, 'utf8')))) process.env[name] ??= value;
  return true;
}

/** The gateway's GraphQL URL: GATEWAY_URL, else 127.0.0.1 on GATEWAY_PORT (default 4000). */
export function gatewayUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.GATEWAY_URL || `http://127.0.0.1:${env.GATEWAY_PORT || '4000'}/graphql`;
}
