import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { findByIds } from '@coursegraph/runtime';
import type { AccountsContext } from './context';
import { User } from './entities/user';

/** Per-request batch loaders: every user referenced in one request costs one query. */
export const createLoaders = (dataSource: DataSource): AccountsContext['loaders'] => ({
  user: new DataLoader((ids) => findByIds(dataSource.getRepository(User), ids)),
});
