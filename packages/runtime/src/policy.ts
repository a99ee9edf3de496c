/**
 * Who may call, written once (CONTRIBUTING.md, "Authorization and
 * validation"). Resolvers state who may call a field with `requireSignedIn`,
 * `requireRole` and `requireService`; domain modules apply rules about one
 * entity (its owner) with `isSelfOrAdmin` and `requireSelfOrAdmin`, since only
 * they load the entity. Refusals are GraphQL errors: UNAUTHENTICATED when
 * nobody is signed in, FORBIDDEN otherwise.
 */
import { forbidden, unauthenticated } from './errors';
import type { Role, Viewer } from './identity';
import type { Caller } from './caller';

/** The signed-in viewer; throws UNAUTHENTICATED for nobody. */
export function requireSignedIn(viewer: Viewer | null): Viewer {
  if (!viewer) throw unauthenticated();
  return viewer;
}

/** The signed-in viewer holding one of `roles`; throws UNAUTHENTICATED, or FORBIDDEN with `message`. */
export function requireRole(viewer: Viewer | null, roles: readonly Role[], message: string): Viewer {
  const signedIn = requireSignedIn(viewer);
  if (!roles.some((role) => signedIn.roles.includes(role))) throw forbidden(message);
  return signedIn;
}

/**
 * The internal API answers services only, never users, and only `service`
 * when it is named (the name the caller's service credential was signed
 * with): throws FORBIDDEN for anyone else.
 */
export function requireService(caller: Caller, service?: string): void {
  if (!caller.service || (service !== undefined && caller.service !== service)) throw forbidden('This operation is internal.');
}

/** Whether the viewer is the user `userId` or an admin. */
export const isSelfOrAdmin = (viewer: Viewer | null, userId: string | undefined): boolean =>
  viewer !== null && (viewer.userId === userId || viewer.roles.includes('ADMIN'));

/** The signed-in viewer, who is `userId` or an admin; throws UNAUTHENTICATED, or FORBIDDEN with `message`. */
export function requireSelfOrAdmin(viewer: Viewer | null, userId: string | undefined, message: string): Viewer {
  const signedIn = requireSignedIn(viewer);
  if (!isSelfOrAdmin(signedIn, userId)) throw forbidden(message);
  return signedIn;
}
