/**
 * The gateway's graphql-ws server (`attachSubscriptions`): it authenticates
 * each connection, bounds it (connection.ts), keeps the record of its
 * subscriptions (session.ts), prepares each subscribe as HTTP checks a
 * request (prepare.ts) and joins it to its topic (sharing.ts). Every error
 * it sends is masked as over HTTP, by the gateway's `formatError` through
 * the runtime's `webSocketErrorMask`.
 *
 * Each subscription is its own unit of work with its own request id: the
 * client's `extensions["x-request-id"]` in its subscribe message when valid
 * (as the HTTP header, runtime request-id.ts), a new one otherwise. Its
 * checks, its set-up, its errors (`extensions.requestId`) and the topic it
 * opens run as that work.
 */
import type http from 'node:http';
import type WebSocket from 'ws';
import { GraphQLError, type ExecutionArgs, type ParseOptions } from 'graphql';
import { makeServer, type OperationResult } from 'graphql-ws';
import { Supergraph } from '@apollo/federation-internals';
import type { ServiceMap } from '@apollo/gateway';
import {
  acceptRequestId,
  asGraphQLError,
  formatError,
  INTERNAL_ERROR,
  newRequestId,
  REQUEST_ID_HEADER,
  runWithRequestId,
  withRequestId,
  serveWebSockets,
  tokenExpiresAt,
  webSocketErrorMask,
  type Logger,
  type Viewer,
  type WebSocketExtra,
} from '@coursegraph/runtime';
import type { GatewayContext } from '../auth';
import { withClientValidationCodes, type OperationLimits } from '../limits';
import { authorizationOf, closeAtExpiry, connectionCaps, type WebSocketLimits } from './connection';
import { createPlanner } from './plan';
import { createPrepare } from './prepare';
import { Session, setUp, type Operation } from './session';
import { createTopics } from './sharing';

export interface SubscriptionOptions {
  supergraphSdl: string;
  /** The gateway's data sources, for the entity fetches of `rest`. */
  serviceMap: ServiceMap;
  /** Subgraph HTTP URLs by name; their websockets are on the same URLs. */
  subgraphUrls: Record<string, string>;
  /** Authenticates `connection_init` (and the upgrade request's headers); throws to refuse. */
  authenticate: (authorization: string | undefined) => GatewayContext;
  /**
   * Signs an identity assertion for subgraphs. Called for every event's entity
   * fetches and every upstream (re)subscribe, so the assertion a subscription
   * carries is always fresh however long it lives.
   */
  signIdentity: (viewer: Viewer | null) => string;
  limits: WebSocketLimits;
  /** A connection's client address, for the per-address cap (client-address.ts). */
  clientAddress: (request: http.IncomingMessage) => string;
  /** Whether an upgrade request may become a websocket (its Origin, cors.ts); a refused one is answered 403. */
  acceptUpgrade: (request: http.IncomingMessage) => boolean;
  /** The token limit for parsing a client's document, as over HTTP. */
  parseOptions: ParseOptions;
  /**
   * Validation, variables and every operation limit (depth, aliases,
   * directives, cost on the coerced variables), exactly as over HTTP
   * (gateway/src/limits/); returns the client's errors, empty when allowed.
   */
  checkOperation: OperationLimits['checkOperation'];
  log: Logger;
}

export interface SubscriptionServer {
  /** Client connections, and upstream subscriptions (one per topic), open now. */
  stats(): { connections: number; upstream: number };
  /** Client subscriptions open now, on every connection. */
  activeSubscriptions(): number;
  dispose(): Promise<void>;
}

/**
 * Serves subscriptions over graphql-ws at `/graphql` on `httpServer`, within
 * `options.limits`. Every client message is bounded before it is parsed
 * (ws `maxPayload`), and `onSubscribe` is the one place where a subscription
 * is parsed, validated and its variables coerced, so every client mistake
 * gets its client code as over HTTP.
 */
export function attachSubscriptions(httpServer: http.Server, options: SubscriptionOptions): SubscriptionServer {
  const { log, limits } = options;
  const supergraph = Supergraph.build(options.supergraphSdl);
  const apiSchema = supergraph.apiSchema();
  const apiSchemaJs = apiSchema.toGraphQLJSSchema();
  // The same format as over HTTP (server.ts), client validation codes included.
  const format = withClientValidationCodes(formatError(log));
  const mask = webSocketErrorMask(format);
  const topics = createTopics({
    plan: createPlanner({ supergraph, apiSchema, apiSchemaJs, serviceMap: options.serviceMap, signIdentity: options.signIdentity, mask }),
    subgraphUrls: options.subgraphUrls,
    keepAliveMs: limits.keepAliveMs,
    maskFormatted: (error) => format(error, error),
    log,
  });
  const prepare = createPrepare({ apiSchema, apiSchemaJs, parseOptions: options.parseOptions, checkOperation: options.checkOperation });
  const sessions = new WeakMap<WebSocket, Session>();
  const open = new Set<Session>();
  const operations = new WeakMap<ExecutionArgs, Operation>();
  // Each subscription's request id, by its subscribe message's payload (graphql-ws hands every hook the same object).
  const requestIds = new WeakMap<object, string>();
  const asWorkOf = <T>(payload: object | undefined, work: () => T): T =>
    runWithRequestId((payload && requestIds.get(payload)) ?? newRequestId(), work);

  const graphqlWs = makeServer<Record<string, unknown>, WebSocketExtra>({
    schema: apiSchemaJs,
    connectionInitWaitTimeout: limits.connectionInitTimeoutMs,
    onConnect: (ctx) => {
      const authorization = authorizationOf(ctx.connectionParams ?? {}, ctx.extra.request);
      let context: GatewayContext;
      try {
        context = options.authenticate(authorization);
      } catch {
        return false; // graphql-ws closes with 4403 Forbidden
      }
      const session = new Session(context, ctx.extra.socket);
      sessions.set(ctx.extra.socket, session);
      open.add(session);
      ctx.extra.socket.once('close', () => {
        session.close();
        open.delete(session);
      });
      const expiresAt = context.viewer && authorization ? tokenExpiresAt(authorization.slice('Bearer '.length)) : null;
      if (expiresAt !== null) closeAtExpiry(ctx.extra.socket, expiresAt);
      return true;
    },
    // Refusals here are an `error` message for that operation, not a closed connection.
    onSubscribe: (ctx, id, payload) => {
      requestIds.set(payload, acceptRequestId(payload.extensions?.[REQUEST_ID_HEADER]));
      return asWorkOf(payload, () => {
        try {
          const session = sessions.get(ctx.extra.socket)!;
          session.replace(id);
          if (session.size >= limits.maxSubscriptionsPerConnection) {
            return [
              new GraphQLError(`At most ${limits.maxSubscriptionsPerConnection} subscriptions per connection.`, {
                extensions: { code: 'BAD_REQUEST' },
              }),
            ];
          }
          const prepared = prepare(payload, session.context);
          if (Array.isArray(prepared)) return prepared;
          operations.set(
            prepared,
            session.open(id, payload, () => id in ctx.subscriptions),
          );
          return prepared;
        } catch (error) {
          // Thrown out of here, it would close the whole connection; onError masks it to INTERNAL_SERVER_ERROR and logs it.
          return [asGraphQLError(error)];
        }
      });
    },
    subscribe: (args) => {
      const operation = operations.get(args);
      return asWorkOf(operation?.payload, () => {
        try {
          return setUp(operation!, (delivery) => topics.subscribe(args, delivery)) as unknown as OperationResult;
        } catch (error) {
          // Thrown out of here, graphql-ws would close the whole connection.
          log.error('starting a subscription failed', { error });
          return { errors: [withRequestId(INTERNAL_ERROR)] } as unknown as OperationResult;
        }
      });
    },
    // Events are written by delivery.ts; what reaches graphql-ws's `next` is a set-up failure (`subscribe` above),
    // formatted already: returned as it is, graphql-ws does not call GraphQLError.toJSON on it.
    onNext: (_ctx, _id, _payload, _args, result) => result,
    // Every way an operation that got this far ends (finished, failed, completed by the client) passes here.
    onComplete: (ctx, id, payload) => sessions.get(ctx.extra.socket)?.finish(id, payload),
    onError: (_ctx, _id, payload, errors) => asWorkOf(payload, () => errors.map(mask)) as never,
  });

  const websockets = serveWebSockets(graphqlWs, {
    server: httpServer,
    path: '/graphql',
    maxMessageBytes: limits.maxMessageBytes,
    keepAliveMs: limits.keepAliveMs,
    admit: connectionCaps(limits, options.clientAddress),
    acceptUpgrade: options.acceptUpgrade,
    log,
  });

  return {
    stats: () => ({ connections: websockets.connections(), upstream: topics.size() }),
    activeSubscriptions: () => [...open].reduce((sum, session) => sum + session.size, 0),
    async dispose() {
      await websockets.dispose();
      await topics.dispose();
    },
  };
}
