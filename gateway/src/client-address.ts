/**
 * The one place the gateway decides a client's network address, for the
 * per-address limits: the accounts subgraph's login and register rate limit
 * (the signed address of auth.ts) and the websocket connection caps
 * (subscriptions/connection.ts).
 *
 * Which proxies are trusted follows express's `trust proxy` setting
 * (https://expressjs.com/en/guide/behind-proxies.html), read from TRUST_PROXY:
 * - unset or `false`: nobody; the address is the socket's peer and
 *   X-Forwarded-For is ignored, so a client cannot pick its own address;
 * - `true`: every hop; the left-most X-Forwarded-For entry (only behind a
 *   proxy that overwrites the header);
 * - a whole number n: the n hops nearest to the gateway (1: one proxy in front);
 * - a comma-separated list of addresses, CIDR ranges or the names `loopback`,
 *   `linklocal`, `uniquelocal`: X-Forwarded-For is walked from the right while
 *   the hop it came from is in the list.
 * The walk is proxy-addr's, the library express itself uses.
 *
 * The HTTP per-address connection cap (HTTP_MAX_CONNECTIONS_PER_ADDRESS,
 * runtime http.ts) counts sockets before any header is read, so it always
 * sees the socket's peer; behind a proxy it is turned off (0).
 */
import type http from 'node:http';
import proxyAddr from 'proxy-addr';

/** A parsed TRUST_PROXY: false, true, a hop count, or addresses and CIDR ranges. */
export type TrustProxy = boolean | number | string[];

/** Parses TRUST_PROXY as described in the module comment; throws on a malformed address or range. */
export function parseTrustProxy(raw: string | undefined): TrustProxy {
  const value = (raw ?? '').trim();
  if (value === '' || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  const list = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  // Fails here, at start, on a typo rather than trusting nothing or everything later.
  proxyAddr.compile(list);
  return list;
}

/** What `proxy-addr` asks of each hop: is the address it came from trusted (`hop` 0 is the socket's peer)? */
function trustFunction(trust: TrustProxy): (address: string, hop: number) => boolean {
  if (typeof trust === 'boolean') return () => trust;
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return proxyAddr.compile(trust);
}

/** Returns the function that gives a request's client address under `trust`; '' when the socket has closed. */
export function clientAddressOf(trust: TrustProxy): (request: http.IncomingMessage) => string {
  const trusted = trustFunction(trust);
  return (request) => (request.socket.remoteAddress === undefined ? '' : proxyAddr(request, trusted));
}
