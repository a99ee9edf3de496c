import DataLoader from 'dataloader';
import { In, type DataSource } from 'typeorm';
import { isUuid } from '@coursegraph/runtime';
import type { AccountsContext } from './context';
import { User } from './entities/user';

/** Per-request batch loaders: every user referenced in one request costs one query. */
export const createLoaders = (dataSource: DataSource): AccountsContext['loaders'] => ({
  user: new DataLoader(async (ids) => {
    const valid = ids.filter(isUuid);
    const users = valid.length ? await dataSource.getRepository(User).findBy({ id: In(valid) }) : [];
    const byId = new Map(users.map((user) => [user.id, user]));
    return ids.map((id) => byId.get(id) ?? null);
  }),
});
