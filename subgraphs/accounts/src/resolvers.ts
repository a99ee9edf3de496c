/**
 * The accounts subgraph's resolvers: who may call and argument mapping onto
 * sessions.ts, profiles.ts and users.ts, and one field rule, that an e-mail address is seen only by its user (also
 * right after a session mutation signed them in) and admins.
 */
import { isSelfOrAdmin, requireSignedIn } from '@coursegraph/runtime';
import type { Resolvers } from './__generated__/resolvers-types';
import type { AccountsContext } from './context';
import { updateProfile } from './profiles';
import { login, logout, refresh, register, type AuthPayload } from './sessions';
import { findUser, listInstructors } from './users';

/** The user a session mutation signed in is the caller from then on. */
async function signIn(context: AccountsContext, payload: Promise<AuthPayload>): Promise<AuthPayload> {
  const result = await payload;
  if (result.user) context.signedIn.add(result.user);
  return result;
}

export const resolvers: Resolvers = {
  Query: {
    me: (_parent, _args, { caller, loaders }) => (caller.viewer ? loaders.user.load(caller.viewer.userId) : null),
    user: (_parent, { id }, { loaders }) => findUser(loaders.user, id),
    instructors: (_parent, { first, after, search }, { sessions }) => listInstructors(sessions.dataSource, first ?? 20, after, search),
  },
  Mutation: {
    register: (_parent, { input }, context) => signIn(context, register(context.sessions, context.caller.address, input)),
    login: (_parent, { input }, context) => signIn(context, login(context.sessions, context.caller.address, input.email, input.password)),
    refreshToken: (_parent, { input }, context) => signIn(context, refresh(context.sessions, input.refreshToken)),
    logout: async (_parent, { input }, { sessions }) => ({ loggedOut: await logout(sessions, input.refreshToken), userErrors: [] }),
    updateProfile: (_parent, { input }, { caller, sessions }) => updateProfile(sessions.dataSource, requireSignedIn(caller.viewer), input),
  },
  User: {
    __resolveReference: ({ id }, { loaders }) => loaders.user.load(id),
    // Addresses are personal: only the user and admins see them.
    email: (user, _args, { caller, signedIn }) => (signedIn.has(user) || isSelfOrAdmin(caller.viewer, user.id) ? user.email : null),
    createdAt: (user) => user.createdAt.toISOString(),
  },
};
