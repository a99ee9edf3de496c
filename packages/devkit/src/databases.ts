/** Fresh databases for one test file, on the server global-setup found; dropped afterwards. */
import { randomBytes } from 'node:crypto';
import { dropDatabases, ensureDatabases, withDatabase } from './postgres';

export interface TestDatabases {
  urls: Record<string, string>;
  drop(): Promise<void>;
}

export async function createTestDatabases(...subgraphs: string[]): Promise<TestDatabases> {
  const server = process.env.TEST_DATABASE_URL;
  if (!server) throw new Error('TEST_DATABASE_URL is not set: run the tests with jest (see packages/devkit/src/global-setup.ts)');
  const run = `cg_test_${randomBytes(4).toString('hex')}`;
  const names = subgraphs.map((subgraph) => `${run}_${subgraph}`);
  await ensureDatabases(server, names);
  return {
    urls: Object.fromEntries(subgraphs.map((subgraph, index) => [subgraph, withDatabase(server, names[index]!)])),
    drop: () => dropDatabases(server, names),
  };
}
