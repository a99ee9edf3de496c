/**
 * The environment a test runs `npm start` (scripts/start.ts) with: a clean
 * one (PATH only), the test's three databases (none when `databases` is
 * null: npm start then runs its embedded PostgreSQL, as on a fresh clone), a
 * free port for each service and the storefront, the subgraph URLs on those
 * ports, and LOG_LEVEL=warn. `overrides` win; a port given there is used as is.
 */
import type { TestDatabases } from './databases';
import { freePort } from './timing';

export const START_PORTS = ['gateway', 'accounts', 'course', 'order', 'storefront'] as const;
export type StartPorts = Record<(typeof START_PORTS)[number], number>;

export async function npmStartEnv(
  databases: TestDatabases | null,
  overrides: NodeJS.ProcessEnv = {},
): Promise<{ env: NodeJS.ProcessEnv; ports: StartPorts }> {
  const ports = {} as StartPorts;
  for (const name of START_PORTS) ports[name] = await freePort();
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, LOG_LEVEL: 'warn' };
  for (const name of START_PORTS) env[`${name.toUpperCase()}_PORT`] = String(ports[name]);
  for (const name of ['accounts', 'course', 'order'] as const) {
    if (databases) env[`${name.toUpperCase()}_DATABASE_URL`] = databases.urls[name];
    env[`${name.toUpperCase()}_SUBGRAPH_URL`] = `http://127.0.0.1:${ports[name]}/graphql`;
  }
  return { env: { ...env, ...overrides }, ports };
}
