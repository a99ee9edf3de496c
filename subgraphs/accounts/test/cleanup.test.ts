/**
 * The accounts clean-up job (src/cleanup.ts) against its own migrated
 * database: what it deletes, and what it must keep.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { openDatabase } from '@coursegraph/runtime';
import { createTestDatabases, type TestDatabases } from '@coursegraph/devkit/databases';
import { createAccountsDataSource } from '../src/data-source';
import { cleanupOnce } from '../src/cleanup';

let databases: TestDatabases;
let dataSource: DataSource;

beforeAll(async () => {
  databases = await createTestDatabases('accounts');
  dataSource = await openDatabase(createAccountsDataSource(databases.urls.accounts!));
});

afterAll(async () => {
  await dataSource?.destroy();
  await databases?.drop();
});

const WINDOW_SECONDS = 60;

test('deletes rate-limit windows that ended and refresh tokens a day past expiry; keeps running windows and every other token', async () => {
  await dataSource.query(
    `INSERT INTO rate_limit (key, window_start, attempts) VALUES
       ('login:email:ended', now() - interval '61 seconds', 3),
       ('login:email:running', now() - interval '59 seconds', 3)`,
  );
  const userId = randomUUID();
  await dataSource.query(
    `INSERT INTO app_user (id, email, email_key, display_name, password_hash, roles) VALUES ($1, 'c@example.com', 'c@example.com', 'C', 'x', '{STUDENT}')`,
    [userId],
  );
  const token = async (name: string, expiresAt: string) =>
    dataSource.query(`INSERT INTO refresh_token (id, user_id, family_id, token_hash, expires_at) VALUES ($1, $2, $3, $4, ${expiresAt})`, [
      randomUUID(),
      userId,
      randomUUID(),
      name.padEnd(64, '0'),
    ]);
  await token('old', `now() - interval '25 hours'`);
  await token('recent', `now() - interval '23 hours'`);
  await token('valid', `now() + interval '1 hour'`);

  expect(await cleanupOnce(dataSource, WINDOW_SECONDS)).toBe(2);
  expect((await dataSource.query(`SELECT key FROM rate_limit ORDER BY key`)).map((row: { key: string }) => row.key)).toEqual(['login:email:running']);
  expect(
    (await dataSource.query(`SELECT left(token_hash, 6) AS name FROM refresh_token ORDER BY name`)).map((row: { name: string }) => row.name),
  ).toEqual(['recent', 'valid0']);
  // Nothing left to delete: a second pass changes nothing.
  expect(await cleanupOnce(dataSource, WINDOW_SECONDS)).toBe(0);
});
