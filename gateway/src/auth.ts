/**
 * The gateway is where users are authenticated: it verifies the bearer token
 * and hands subgraphs a short-lived identity assertion of its own signing.
 * Headers a client sends are never forwarded, so nobody can pose as another
 * user or as a service by adding headers.
 */
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { IDENTITY_HEADER, signIdentity, unauthenticated, verifyUserToken, type Viewer } from '@coursegraph/runtime';

export interface GatewayContext {
  viewer: Viewer | null;
  /** The identity assertion for subgraphs, signed once per request. */
  identity: string | null;
}

/** Reads `Bearer <token>`; none means anonymous, a bad token is refused. */
export function authenticate(authorization: string | undefined, secrets: { jwtSecret: string; subgraphSecret: string }): GatewayContext {
  if (!authorization) return { viewer: null, identity: null };
  const match = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(authorization);
  let viewer: Viewer;
  try {
    if (!match) throw new Error('malformed');
    viewer = verifyUserToken(secrets.jwtSecret, match[1]!);
  } catch {
    const error = unauthenticated('The access token is invalid or expired.');
    error.extensions.http = { status: 401 };
    throw error;
  }
  return { viewer, identity: signIdentity(secrets.subgraphSecret, viewer) };
}

/** Sends the request's identity assertion, and nothing else of the client's, to a subgraph. */
export class IdentityDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    if ('identity' in context && context.identity) request.http?.headers.set(IDENTITY_HEADER, context.identity);
  }
}
