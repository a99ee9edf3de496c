/**
 * The urql client of the storefront: queries and mutations over HTTP, live
 * seat counts over one graphql-ws websocket, both to the gateway (config.ts).
 *
 * - Every request carries the session's access token (`Authorization:
 *   Bearer`, and the same in the websocket's `connection_init` payload).
 * - An UNAUTHENTICATED answer (HTTP 401) refreshes the tokens once and
 *   repeats the request (@urql/exchange-auth); a refused refresh signs out
 *   and the request goes again anonymously.
 * - A new token reconnects the websocket at once, so subscriptions run with
 *   it before the gateway closes the old connection at the old token's expiry
 *   (close code 4419). Subscriptions resume by themselves after any drop, and
 *   `seatsChanged` starts again with the current counts.
 */
import { Client, cacheExchange, fetchExchange, subscriptionExchange, type CombinedError } from 'urql';
import { authExchange } from '@urql/exchange-auth';
import { createClient as createWsClient } from 'graphql-ws';
import { GRAPHQL_URL, GRAPHQL_WS_URL } from './config';
import { freshSession, getSession, isDue, onSessionChange, refreshSession } from './session';

const ws = createWsClient({
  url: GRAPHQL_WS_URL,
  lazy: true,
  // Read at every (re)connect; a token that expired meanwhile (the gateway closed with 4419) is refreshed first.
  connectionParams: async () => {
    const session = await freshSession();
    return session ? { authorization: `Bearer ${session.accessToken}` } : {};
  },
  // Reconnect for as long as the page is open: at once after a token change, then 1, 2, 4 ... 10 s.
  retryAttempts: Infinity,
  shouldRetry: () => true,
  retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, retries === 0 ? 0 : Math.min(10_000, 500 * 2 ** retries))),
});

// A change is a new access token (session.ts announces nothing else). Closing with 4499 (Terminated),
// graphql-ws reconnects with the new connectionParams and resubscribes.
onSessionChange(() => ws.terminate());

const isUnauthenticated = (error: CombinedError) =>
  error.response?.status === 401 || error.graphQLErrors.some((graphQLError) => graphQLError.extensions?.code === 'UNAUTHENTICATED');

/** A client with an empty cache (one per signed-in user, App.tsx); all of them share the websocket. */
export const createUrqlClient = () =>
  new Client({
    url: GRAPHQL_URL,
    // POST for queries too: the gateway's CSRF prevention refuses a GET without a preflighted header.
    preferGetMethod: false,
    exchanges: [
      cacheExchange,
      authExchange(async (utils) => ({
        addAuthToOperation(operation) {
          const session = getSession();
          return session ? utils.appendHeaders(operation, { Authorization: `Bearer ${session.accessToken}` }) : operation;
        },
        // Due: refresh first rather than send a token that may expire on the way.
        willAuthError: () => {
          const session = getSession();
          return session !== null && isDue(session);
        },
        didAuthError: (error) => isUnauthenticated(error),
        refreshAuth: async () => {
          // A network failure keeps the session; the request then fails as it would have.
          await refreshSession().catch(() => null);
        },
      })),
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({ unsubscribe: ws.subscribe({ ...request, query: request.query ?? '' }, sink) }),
        }),
      }),
    ],
  });
