import { createDataSource } from '@coursegraph/runtime';
import { RefreshToken } from './entities/refresh-token';
import { User } from './entities/user';
import { CreateAccounts1763800000002 } from './migrations/1763800000002-CreateAccounts';
import { AddProfiles1764500000000 } from './migrations/1764500000000-AddProfiles';

export const createAccountsDataSource = (url: string, poolSize?: number) =>
  createDataSource({
    url,
    poolSize,
    applicationName: 'coursegraph-accounts',
    entities: [User, RefreshToken],
    migrations: [CreateAccounts1763800000002, AddProfiles1764500000000],
  });
