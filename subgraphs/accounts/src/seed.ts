/**
 * Demo accounts for `npm start`, created once; demo instructors get their
 * profiles (headline, bio, website), also in a database seeded before
 * profiles existed, as long as nobody has edited the profile since.
 */
import type { DataSource } from 'typeorm';
import { type Logger } from '@coursegraph/runtime';
import { DEMO_USERS, type DemoAccount } from '@coursegraph/domain';
import { emailKey, User } from './entities/user';
import { hashPassword } from './passwords';

export async function seedDemoAccounts(dataSource: DataSource, log: Logger): Promise<void> {
  const missing = [];
  for (const demo of Object.values<DemoAccount>(DEMO_USERS)) {
    if (await dataSource.getRepository(User).existsBy({ id: demo.userId })) {
      if (demo.headline) await addMissingProfile(dataSource, demo);
      continue;
    }
    const now = new Date();
    missing.push(
      Object.assign(new User(), {
        id: demo.userId,
        email: demo.email,
        emailKey: emailKey(demo.email),
        displayName: demo.displayName,
        passwordHash: await hashPassword(demo.password),
        roles: demo.roles,
        headline: demo.headline ?? '',
        bio: demo.bio ?? '',
        website: demo.website ?? null,
        createdAt: now,
        updatedAt: now,
      } satisfies User),
    );
  }
  if (missing.length === 0) return;
  await dataSource.createQueryBuilder().insert().into(User).values(missing).orIgnore().execute();
  log.info('created demo accounts', { accounts: missing.length });
}

/** Gives an existing demo account its profile when the profile is still empty. */
async function addMissingProfile(dataSource: DataSource, demo: DemoAccount): Promise<void> {
  await dataSource.query(
    `UPDATE app_user SET headline = $2, bio = $3, website = $4, updated_at = now()
      WHERE id = $1 AND headline = '' AND bio = '' AND website IS NULL`,
    [demo.userId, demo.headline ?? '', demo.bio ?? '', demo.website ?? null],
  );
}
