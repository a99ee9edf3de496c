/**
 * The signed-in session: the tokens of `login`, `register` and
 * `refreshToken`, kept in localStorage so a reload stays signed in.
 *
 * - The access token lives 15 minutes (ACCESS_TOKEN_TTL_SECONDS); the session
 *   trades its refresh token for new tokens a little before that
 *   (`refreshAt`), and again whenever the gateway answers UNAUTHENTICATED
 *   (client.ts).
 * - A refresh token works once: reusing one ends the whole session on the
 *   server. So one refresh runs at a time across every tab of the page (the
 *   Web Locks API), and a tab that waited adopts the tokens another tab got
 *   instead of sending the used token again.
 * - Every change is announced (`onSessionChange`): the page redraws and the
 *   websocket reconnects with the new token (client.ts).
 *
 * Keeping a refresh token where page scripts can read it trades some XSS
 * exposure for a client with no server of its own; README "Build a client".
 */
import { Client, fetchExchange } from '@urql/core';
import { graphql } from './__generated__';
import { GRAPHQL_URL } from './config';

export interface Session {
  accessToken: string;
  /** Epoch milliseconds. */
  accessTokenExpiresAt: number;
  refreshToken: string;
  user: { id: string; displayName: string };
}

const STORAGE_KEY = 'coursegraph.session';
const REFRESH_LOCK = 'coursegraph.refresh';

export const LoginDocument = graphql(`
  mutation Login($input: LoginInput!) {
    login(input: $input) {
      accessToken
      accessTokenExpiresAt
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
  }
`);

export const RegisterDocument = graphql(`
  mutation Register($input: RegisterInput!) {
    register(input: $input) {
      accessToken
      accessTokenExpiresAt
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
  }
`);

const RefreshTokenDocument = graphql(`
  mutation RefreshToken($input: RefreshTokenInput!) {
    refreshToken(input: $input) {
      accessToken
      accessTokenExpiresAt
      refreshToken
      user {
        id
        displayName
      }
      userErrors {
        code
        message
      }
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

function read(): Session | null {
  try {
    const stored = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as Session | null;
    return stored && typeof stored.refreshToken === 'string' && typeof stored.accessToken === 'string' ? stored : null;
  } catch {
    return null;
  }
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

function store(session: Session | null): void {
  if (session) localStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  else localStorage.removeItem(STORAGE_KEY);
  adopt(session);
}

/** A payload with tokens as a Session; null when it carries none. */
export function sessionOf(payload: {
  accessToken?: string | null;
  accessTokenExpiresAt?: string | null;
  refreshToken?: string | null;
  user?: { id: string; displayName: string } | null;
}): Session | null {
  const { accessToken, accessTokenExpiresAt, refreshToken, user } = payload;
  if (!accessToken || !accessTokenExpiresAt || !refreshToken || !user) return null;
  return { accessToken, accessTokenExpiresAt: Date.parse(accessTokenExpiresAt), refreshToken, user: { id: user.id, displayName: user.displayName } };
}

export function getSession(): Session | null {
  return current;
}

/** Calls `listener` after every sign-in, refresh and sign-out, in this tab or another; returns the unsubscribe. */
export function onSessionChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Starts a session from a login or register answer. */
export function signIn(session: Session): void {
  store(session);
}

/** Ends the session here and on the server (best effort: the tokens are forgotten either way). */
export async function signOut(): Promise<void> {
  const session = current;
  store(null);
  if (session) await authClient.mutation(LogoutDocument, { input: { refreshToken: session.refreshToken } }).toPromise();
}

/**
 * New tokens for the current session, once at a time across tabs. Resolves to
 * the new session, or null when the server refused the refresh token (the
 * session ended: signed out). Rejects on a network failure, keeping the
 * session, so a later call can try again.
 */
export function refreshSession(): Promise<Session | null> {
  // The token this tab holds now, before waiting for the lock: if another tab rotated it meanwhile, adopt its result.
  const used = current?.refreshToken;
  refreshing ??= withRefreshLock(async () => {
    const stored = read();
    // Another tab refreshed while this one waited for the lock: its tokens are the live ones.
    if (stored && stored.refreshToken !== used) {
      adopt(stored);
      return stored;
    }
    if (!stored) {
      adopt(null);
      return null;
    }
    const result = await authClient.mutation(RefreshTokenDocument, { input: { refreshToken: stored.refreshToken } }).toPromise();
    if (result.error) throw result.error;
    const next = result.data ? sessionOf(result.data.refreshToken) : null;
    store(next);
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
