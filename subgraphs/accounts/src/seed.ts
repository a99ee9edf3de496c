/** Demo accounts for `npm start`, created once. */
import type { DataSource } from 'typeorm';
import { type Logger } from '@coursegraph/runtime';
import { DEMO_USERS } from '@coursegraph/domain';
import { emailKey, User } from './entities/user';
import { hashPassword } from './passwords';

export async function seedDemoAccounts(dataSource: DataSource, log: Logger): Promise<void> {
  const missing = [];
  for (const demo of Object.values(DEMO_USERS)) {
    if (await dataSource.getRepository(User).existsBy({ id: demo.userId })) continue;
    const now = new Date();
    missing.push(
      Object.assign(new User(), {
        id: demo.userId,
        email: demo.email,
        emailKey: emailKey(demo.email),
        displayName: demo.displayName,
        passwordHash: await hashPassword(demo.password),
        roles: demo.roles,
        createdAt: now,
        updatedAt: now,
      } satisfies User),
    );
  }
  if (missing.length === 0) return;
  await dataSource.createQueryBuilder().insert().into(User).values(missing).orIgnore().execute();
  log.info('created demo accounts', { accounts: missing.length });
}
