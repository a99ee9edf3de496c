/**
 * The signed-in session: the tokens of `login`, `register` and
 * `refreshToken`, kept in localStorage so a reload stays signed in.
 *
 * - The access token lives 15 minutes (ACCESS_TOKEN_TTL_SECONDS). Its expiry
 *   is kept in this browser's clock: the answer's arrival plus
 *   `accessTokenExpiresIn`, so a computer whose clock is wrong still
 *   refreshes on time. The session trades its refresh token for new tokens a
 *   little before that, and again whenever the gateway answers
 *   UNAUTHENTICATED (client.ts).
 * - A refresh token works once: reusing one ends the whole session on the
 *   server. So one refresh runs at a time across every tab of the page (the
 *   Web Locks API). The holder of the lock writes the new tokens to
 *   IndexedDB before it lets go, and the next holder reads them there
 *   (IndexedDB, unlike localStorage, is consistent across tabs at once): a
 *   tab whose token another tab already rotated adopts the new tokens
 *   instead of sending the used one.
 * - Every change is announced (`onSessionChange`): the page redraws and the
 *   websocket reconnects with the new token (client.ts).
 *
 * Keeping a refresh token where page scripts can read it trades some XSS
 * exposure for a client with no server of its own; README "Build a client".
 */
import { Client, fetchExchange } from '@urql/core';
import { del, get, set } from 'idb-keyval';
import { getFragmentData, graphql, type FragmentType } from './__generated__';
import { GRAPHQL_URL } from './config';

export interface Session {
  accessToken: string;
  /** When the access token expires, in this browser's clock (epoch milliseconds). */
  accessTokenExpiresAt: number;
  refreshToken: string;
  user: { id: string; displayName: string };
}

const STORAGE_KEY = 'coursegraph.session';
const REFRESH_LOCK = 'coursegraph.refresh';
/** A token this close to its expiry is refreshed before it is sent. */
const DUE_MS = 5_000;

/** What every token answer carries: sign-in, registration and refresh alike. */
export const AuthFieldsFragment = graphql(`
  fragment AuthFields on AuthPayload {
    accessToken
    accessTokenExpiresIn
    refreshToken
    user {
      id
      displayName
    }
    userErrors {
      code
      field
      message
      retryAfterSeconds
    }
  }
`);

export const LoginDocument = graphql(`
  mutation Login($input: LoginInput!) {
    login(input: $input) {
      ...AuthFields
    }
  }
`);

export const RegisterDocument = graphql(`
  mutation Register($input: RegisterInput!) {
    register(input: $input) {
      ...AuthFields
    }
  }
`);

const RefreshTokenDocument = graphql(`
  mutation RefreshToken($input: RefreshTokenInput!) {
    refreshToken(input: $input) {
      ...AuthFields
    }
  }
`);

const LogoutDocument = graphql(`
  mutation Logout($input: RefreshTokenInput!) {
    logout(input: $input) {
      loggedOut
    }
  }
`);

/** Token calls carry no access token and must never be answered from a cache. */
const authClient = new Client({ url: GRAPHQL_URL, exchanges: [fetchExchange], requestPolicy: 'network-only', preferGetMethod: false });

let current: Session | null = read();
const listeners = new Set<() => void>();
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
let refreshing: Promise<Session | null> | null = null;

function isSession(value: unknown): value is Session {
  const session = value as Partial<Session> | null;
  return (
    typeof session?.accessToken === 'string' &&
    typeof session.refreshToken === 'string' &&
    typeof session.accessTokenExpiresAt === 'number' &&
    typeof session.user?.id === 'string' &&
    typeof session.user.displayName === 'string'
  );
}

/** The session localStorage holds; null for none, and for anything malformed (an older version's, a hand-edited one). */
function read(): Session | null {
  try {
    const stored: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null');
    return isSession(stored) ? stored : null;
  } catch {
    return null;
  }
}

/** The session as the last refresh left it, for the holder of the refresh lock: IndexedDB, else localStorage. */
async function latest(): Promise<Session | null> {
  try {
    const stored: unknown = await get(STORAGE_KEY);
    if (stored === undefined) return read();
    return isSession(stored) ? stored : null;
  } catch {
    return read(); // No IndexedDB (some private windows): one tab still works.
  }
}

/** Writes the session to localStorage at once and to IndexedDB (resolves when that is committed). */
function persist(session: Session | null): Promise<void> {
  if (session) localStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  else localStorage.removeItem(STORAGE_KEY);
  return (session ? set(STORAGE_KEY, session) : del(STORAGE_KEY)).catch(() => undefined);
}

function adopt(session: Session | null): void {
  const changed = session?.accessToken !== current?.accessToken;
  current = session;
  clearTimeout(refreshTimer);
  if (session) {
    const left = session.accessTokenExpiresAt - Date.now();
    // A minute early, or at three quarters of a short lifetime; at once when already due.
    refreshTimer = setTimeout(refreshOnTime, Math.max(0, left - Math.min(60_000, left / 4)));
  }
  if (changed) for (const listener of listeners) listener();
}

/** The scheduled refresh; offline, it tries again every 10 s, so live seats resume by themselves once back online. */
function refreshOnTime(): void {
  refreshSession().catch(() => {
    refreshTimer = setTimeout(refreshOnTime, 10_000);
  });
}

/** A token answer as a Session, its expiry counted from now; null when it carries no tokens. */
export function sessionOf(answer: FragmentType<typeof AuthFieldsFragment>): Session | null {
  const { accessToken, accessTokenExpiresIn, refreshToken, user } = getFragmentData(AuthFieldsFragment, answer);
  if (!accessToken || !accessTokenExpiresIn || !refreshToken || !user) return null;
  return {
    accessToken,
    accessTokenExpiresAt: Date.now() + accessTokenExpiresIn * 1_000,
    refreshToken,
    user: { id: user.id, displayName: user.displayName },
  };
}

export function getSession(): Session | null {
  return current;
}

/** Whether the session's access token should be refreshed before it is sent. */
export const isDue = (session: Session) => session.accessTokenExpiresAt - Date.now() < DUE_MS;

/** The session to send now: refreshed first when due (as after a computer's sleep), or when a refresh is under way. */
export async function freshSession(): Promise<Session | null> {
  if (refreshing || (current && isDue(current))) await refreshSession().catch(() => undefined);
  return current;
}

/** Calls `listener` after every sign-in, refresh and sign-out, in this tab or another; returns the unsubscribe. */
export function onSessionChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Starts a session from a login or register answer. */
export function signIn(session: Session): void {
  void persist(session);
  adopt(session);
}

/** Ends the session here and on the server (best effort: the tokens are forgotten either way). */
export async function signOut(): Promise<void> {
  const session = current;
  void persist(null);
  adopt(null);
  if (session) await authClient.mutation(LogoutDocument, { input: { refreshToken: session.refreshToken } }).toPromise();
}

/**
 * New tokens for the current session, once at a time across tabs. Resolves to
 * the new session, or null when the server refused the refresh token (the
 * session ended: signed out). Rejects on a network failure, keeping the
 * session, so a later call can try again.
 */
export function refreshSession(): Promise<Session | null> {
  // The token this tab holds now, before waiting for the lock: if another tab rotates it meanwhile, adopt its result.
  const used = current?.refreshToken;
  refreshing ??= withRefreshLock(async () => {
    const last = await latest();
    if (!last || last.refreshToken !== used) {
      adopt(last);
      return last;
    }
    const result = await authClient.mutation(RefreshTokenDocument, { input: { refreshToken: last.refreshToken } }).toPromise();
    if (result.error) throw result.error;
    const next = result.data ? sessionOf(result.data.refreshToken) : null;
    // Committed before the lock is let go: the next holder must see it.
    await persist(next);
    adopt(next);
    return next;
  }).finally(() => {
    refreshing = null;
  });
  return refreshing;
}

function withRefreshLock<T>(work: () => Promise<T>): Promise<T> {
  // Web Locks are in every current browser; without them (an old one) a single tab still works.
  return navigator.locks ? navigator.locks.request(REFRESH_LOCK, work) : work();
}

// A sign-in, refresh or sign-out in another tab.
window.addEventListener('storage', (event) => {
  if (event.key === STORAGE_KEY) adopt(read());
});
adopt(current);
