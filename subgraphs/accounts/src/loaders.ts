import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { findByIds } from '@coursegraph/runtime';
import { User } from './entities/user';

/** Per-request batch loaders: every user referenced in one request costs one query. */
export interface AccountsLoaders {
  user: DataLoader<string, User | null>;
}

export const createLoaders = (dataSource: DataSource): AccountsLoaders => ({
  user: new DataLoader((ids) => findByIds(dataSource.getRepository(User), ids)),
});
