import type DataLoader from 'dataloader';
import type { Caller } from '@coursegraph/runtime';
import type { User } from './entities/user';
import type { SessionDeps } from './sessions';

/** What every accounts resolver gets: the verified caller, the session dependencies and per-request loaders. */
export interface AccountsContext {
  caller: Caller;
  sessions: SessionDeps;
  loaders: {
    user: DataLoader<string, User | null>;
  };
}
