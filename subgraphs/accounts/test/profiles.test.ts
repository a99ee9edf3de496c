/**
 * Profiles against the accounts subgraph's own migrated database: the
 * migration's columns and constraints (and its way back), and demo
 * instructors seeded with profiles that updateProfile itself would accept.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createLogger, openDatabase } from '@coursegraph/runtime';
import { DEMO_USERS, type DemoAccount } from '@coursegraph/domain';
import { createTestDatabases, type TestDatabases } from '@coursegraph/devkit/databases';
import { createAccountsDataSource } from '../src/data-source';
import { checkProfile } from '../src/profiles';
import { seedDemoAccounts } from '../src/seed';
import { listInstructors } from '../src/users';

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

const insert = (columns: Record<string, unknown>) => {
  const id = randomUUID();
  const row: Record<string, unknown> = {
    id,
    email: `${id}@example.com`,
    email_key: `${id}@example.com`,
    display_name: 'P',
    password_hash: 'x',
    ...columns,
  };
  const names = Object.keys(row);
  return dataSource.query(
    `INSERT INTO app_user (${names.join(', ')}, roles) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')}, '{INSTRUCTOR}')`,
    Object.values(row),
  );
};

test('the migration adds headline, bio and website with explicit types, defaults and bounds', async () => {
  const columns = await dataSource.query(
    `SELECT column_name AS name, data_type AS type, character_maximum_length AS length, is_nullable AS nullable, column_default AS "default"
       FROM information_schema.columns WHERE table_name = 'app_user' AND column_name IN ('headline', 'bio', 'website') ORDER BY column_name`,
  );
  expect(columns).toEqual([
    { name: 'bio', type: 'character varying', length: 2000, nullable: 'NO', default: "''::character varying" },
    { name: 'headline', type: 'character varying', length: 120, nullable: 'NO', default: "''::character varying" },
    { name: 'website', type: 'character varying', length: 200, nullable: 'YES', default: null },
  ]);
  await expect(insert({ headline: 'h'.repeat(121) })).rejects.toThrow(/too long/);
  await expect(insert({ website: 'javascript:alert(1)' })).rejects.toThrow(/app_user_website_http/);
  await expect(insert({ website: 'https://example.com', headline: 'h'.repeat(120), bio: 'b'.repeat(2000) })).resolves.toBeDefined();
});

test('the migration reverts and re-applies', async () => {
  await dataSource.undoLastMigration({ transaction: 'each' });
  const after = await dataSource.query(
    `SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'app_user' AND column_name = 'bio'`,
  );
  expect(after[0].n).toBe(0);
  await dataSource.runMigrations({ transaction: 'each' });
  const again = await dataSource.query(`SELECT indexdef FROM pg_indexes WHERE indexname = 'app_user_instructors'`);
  expect(again[0].indexdef).toMatch(/\(display_name, id\) WHERE/);
});

test('demo instructors are seeded with profiles updateProfile accepts, and listed with them', async () => {
  const log = createLogger('accounts-test');
  await seedDemoAccounts(dataSource, log);
  // A database seeded before profiles existed gets them on the next start; an edited profile is kept.
  await dataSource.query(`UPDATE app_user SET headline = '', bio = '', website = NULL WHERE id = $1`, [DEMO_USERS.instructor.userId]);
  await dataSource.query(`UPDATE app_user SET headline = 'Edited' WHERE id = $1`, [DEMO_USERS.secondInstructor.userId]);
  await seedDemoAccounts(dataSource, log);
  const edited = await dataSource.query(`SELECT headline, bio FROM app_user WHERE id = $1`, [DEMO_USERS.secondInstructor.userId]);
  expect(edited).toEqual([{ headline: 'Edited', bio: DEMO_USERS.secondInstructor.bio }]);
  await dataSource.query(`UPDATE app_user SET headline = $2 WHERE id = $1`, [
    DEMO_USERS.secondInstructor.userId,
    DEMO_USERS.secondInstructor.headline,
  ]);
  // Every demo account (the demo buyers too) once, however often seeded.
  const accounts = Object.values<DemoAccount>(DEMO_USERS);
  const seeded = await dataSource.query(`SELECT count(*)::int AS n FROM app_user WHERE id = ANY($1::uuid[])`, [accounts.map((demo) => demo.userId)]);
  expect(seeded[0].n).toBe(accounts.length);
  const demos = accounts.filter((demo) => demo.roles.includes('INSTRUCTOR'));
  expect(demos.length).toBeGreaterThanOrEqual(6);
  for (const demo of demos) {
    expect(demo.headline && demo.bio && demo.website).toBeTruthy();
    expect(checkProfile({ headline: demo.headline, bio: demo.bio, website: demo.website })).toEqual({
      changes: { headline: demo.headline, bio: demo.bio, website: demo.website },
    });
  }
  // Searchable by headline.
  const byHeadline = await listInstructors(dataSource, 100, null, 'postgresql');
  expect(byHeadline.edges.map((edge) => edge.node.id)).toEqual([DEMO_USERS.instructor.userId]);
  const all = await listInstructors(dataSource, 100, null, null);
  for (const demo of demos) {
    expect(all.edges.map((edge) => edge.node)).toContainEqual(
      expect.objectContaining({ id: demo.userId, headline: demo.headline, bio: demo.bio, website: demo.website }),
    );
  }
});
