/**
 * The gateway is where users are authenticated: it verifies the bearer token
 * and hands subgraphs a short-lived identity assertion of its own signing,
 * for anonymous callers too (an anonymous assertion), so subgraphs in
 * production can refuse every request that did not come through here or
 * from a service (packages/runtime/src/caller.ts). Headers a client sends
 * are never forwarded, so nobody can pose as another user or as a service by
 * adding headers.
 */
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import {
  anonymousIdentitySource,
  BUDGET_HEADER,
  CLIENT_HEADER,
  IDENTITY_HEADER,
  signClientAddress,
  signIdentity,
  unauthenticated,
  verifyUserToken,
  type Viewer,
} from '@coursegraph/runtime';

export interface GatewayContext {
  viewer: Viewer | null;
  /** The identity assertion for subgraphs, signed once per request (shared by anonymous requests). */
  identity: string;
  /** The client's network address, asserted to subgraphs that rate-limit by it. */
  clientAddress: () => string | null;
  /**
   * When the client-facing time limit of this request ends (epoch ms); HTTP
   * requests only. Subgraphs are sent what is left of it.
   */
  deadline?: number;
}

const anonymousIdentities = new Map<string, () => string>();

/** Reads `Bearer <token>` (the scheme in any letter case); none means anonymous, a bad token is refused. */
export function authenticate(
  authorization: string | undefined,
  secrets: { jwtSecret: string; subgraphSecret: string },
  address?: string,
): GatewayContext {
  let signedAddress: string | null | undefined;
  const clientAddress = () => (signedAddress ??= address ? signClientAddress(secrets.subgraphSecret, address) : null);
  if (!authorization) {
    let anonymous = anonymousIdentities.get(secrets.subgraphSecret);
    if (!anonymous) anonymousIdentities.set(secrets.subgraphSecret, (anonymous = anonymousIdentitySource(secrets.subgraphSecret)));
    return { viewer: null, identity: anonymous(), clientAddress };
  }
  // The scheme is case-insensitive (RFC 7235 §2.1); exactly one space keeps the token where subscriptions read its expiry.
  const match = /^Bearer ([A-Za-z0-9_.-]+)$/i.exec(authorization);
  let viewer: Viewer;
  try {
    if (!match) throw new Error('malformed');
    viewer = verifyUserToken(secrets.jwtSecret, match[1]!);
  } catch {
    const error = unauthenticated('The access token is invalid or expired.');
    error.extensions.http = { status: 401 };
    throw error;
  }
  return { viewer, identity: signIdentity(secrets.subgraphSecret, viewer), clientAddress };
}

/**
 * Sends the request's identity assertion, and nothing else of the client's, to
 * a subgraph; to one that rate-limits by client address, that address too;
 * and the subgraph's share of the time left of the request's budget
 * (BUDGET_HEADER, ms: ANNOUNCED_BUDGET_SHARE of it). The fetcher waits for the
 * whole time left, so a subgraph that works to the end of its announced budget
 * still has its answer carried back on a busy machine. The request id goes
 * too, added by the runtime's HTTP client that the fetcher uses (X-Request-Id).
 */
/** The part of the time left that a subgraph is told it has; the rest is the answer's way back. */
export const ANNOUNCED_BUDGET_SHARE = 0.9;

export class IdentityDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(config: { url: string; fetcher: RemoteGraphQLDataSource['fetcher']; sendClientAddress?: boolean }) {
    super({ url: config.url, fetcher: config.fetcher });
    this.sendClientAddress = config.sendClientAddress ?? false;
  }

  private readonly sendClientAddress: boolean;

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    if (!('identity' in context)) return;
    request.http?.headers.set(IDENTITY_HEADER, context.identity);
    const address = this.sendClientAddress && context.clientAddress();
    if (address) request.http?.headers.set(CLIENT_HEADER, address);
    if (context.deadline !== undefined) {
      const left = Math.max(0, context.deadline - Date.now());
      request.http?.headers.set(BUDGET_HEADER, String(Math.floor(left * ANNOUNCED_BUDGET_SHARE)));
    }
  }
}
