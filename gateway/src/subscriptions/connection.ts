/**
 * What bounds one client connection of the gateway's websocket: its limits
 * (`WebSocketLimits`: messages, connections and the wait for
 * `connection_init`), the caps on connections counted on this instance, and
 * the access token's expiry, which closes the connection (4419); the close
 * codes the gateway uses besides graphql-ws's own.
 */
import type http from 'node:http';
import type WebSocket from 'ws';
import type { Refusal } from '@coursegraph/runtime';

/** Limits of the websocket server (README, "Live seat counts"; defaults in config.ts). */
export interface WebSocketLimits {
  /** Largest message in bytes, as the HTTP body limit; a bigger one closes the connection with 1009. */
  maxMessageBytes: number;
  /** Connections this instance holds at most, and per client address; more are closed with 1013. */
  maxConnections: number;
  maxConnectionsPerAddress: number;
  /** Milliseconds from opening to `connection_init`; graphql-ws closes a silent connection with 4408. */
  connectionInitTimeoutMs: number;
  maxSubscriptionsPerConnection: number;
  /** Ping interval; a client that has not answered within it is dropped. */
  keepAliveMs: number;
}

/**
 * Close codes of the gateway's websocket besides graphql-ws's own (4400 bad
 * message, 4401 subscribe before `connection_ack`, 4403 bad token, 4406 wrong
 * subprotocol, 4408 no `connection_init` in time, 4409 subscription id in use,
 * 4429 second `connection_init`). Documented in README, "Live seat counts".
 */
export const CloseCodes = {
  /** A message over `maxMessageBytes` (ws closes the connection itself). */
  MESSAGE_TOO_BIG: 1009,
  /** Over the per-address or total connection cap; retry later. */
  TRY_AGAIN_LATER: 1013,
  /** The access token given at `connection_init` expired: reconnect with a fresh one. */
  TOKEN_EXPIRED: 4419,
} as const;

/** setTimeout's longest delay; a longer one fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The bearer token of `connection_init` parameters or, failing those, of the upgrade request. */
export function authorizationOf(params: Record<string, unknown>, request: http.IncomingMessage): string | undefined {
  const fromParams = params.authorization ?? params.Authorization ?? (params.token ? `Bearer ${String(params.token)}` : undefined);
  return typeof fromParams === 'string' ? fromParams : request.headers.authorization;
}

/** Closes the connection when the access token it was opened with expires. */
export function closeAtExpiry(socket: WebSocket, expiresAt: number): void {
  let timer: NodeJS.Timeout;
  const arm = () => {
    const wait = expiresAt - Date.now();
    if (wait <= 0) return socket.close(CloseCodes.TOKEN_EXPIRED, 'Access token expired');
    timer = setTimeout(arm, Math.min(wait, MAX_TIMER_MS));
    timer.unref();
  };
  arm();
  socket.once('close', () => clearTimeout(timer));
}

/**
 * `serveWebSockets`'s `admit`: the connection caps, per client address (`addressOf`,
 * the gateway's client-address.ts) and in total, counted on this instance.
 */
export function connectionCaps(
  limits: Pick<WebSocketLimits, 'maxConnections' | 'maxConnectionsPerAddress'>,
  addressOf: (request: http.IncomingMessage) => string,
) {
  const perAddress = new Map<string, number>();
  let connections = 0;
  return (request: http.IncomingMessage): Refusal | (() => void) => {
    const address = addressOf(request) || 'unknown';
    const fromAddress = perAddress.get(address) ?? 0;
    if (connections >= limits.maxConnections || fromAddress >= limits.maxConnectionsPerAddress) {
      return { code: CloseCodes.TRY_AGAIN_LATER, reason: 'Too many connections' };
    }
    connections++;
    perAddress.set(address, fromAddress + 1);
    return () => {
      connections--;
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left > 0) perAddress.set(address, left);
      else perAddress.delete(address);
    };
  };
}
