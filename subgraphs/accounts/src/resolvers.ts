import type { Resolvers } from './__generated__/resolvers-types';
import { login, logout, refresh, register } from './sessions';

export const resolvers: Resolvers = {
  Query: {
    me: (_parent, _args, { caller, loaders }) => (caller.viewer ? loaders.user.load(caller.viewer.userId) : null),
  },
  Mutation: {
    register: (_parent, { input }, { caller, sessions }) => register(sessions, caller.address, input),
    login: (_parent, { input }, { caller, sessions }) => login(sessions, caller.address, input.email, input.password),
    refreshToken: (_parent, { input }, { sessions }) => refresh(sessions, input.refreshToken),
    logout: async (_parent, { input }, { sessions }) => ({ loggedOut: await logout(sessions, input.refreshToken), userErrors: [] }),
  },
  User: {
    __resolveReference: ({ id }, { loaders }) => loaders.user.load(id),
    // Addresses are personal: only the user and admins see them.
    email: (user, _args, { caller }) =>
      caller.viewer && (caller.viewer.userId === user.id || caller.viewer.roles.includes('ADMIN')) ? user.email : null,
    createdAt: (user) => user.createdAt.toISOString(),
  },
};
