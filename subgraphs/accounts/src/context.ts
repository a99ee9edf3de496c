import type { Caller } from '@coursegraph/runtime';
import type { User } from './entities/user';
import type { AccountsLoaders } from './loaders';
import type { SessionDeps } from './sessions';

/** What every accounts resolver gets: the verified caller, the session dependencies and per-request loaders. */
export interface AccountsContext {
  caller: Caller;
  sessions: SessionDeps;
  /** Users this request signed in (register, login, refreshToken): they may see their own e-mail address. */
  signedIn: WeakSet<User>;
  loaders: AccountsLoaders;
}
