/**
 * The one way a subgraph is served: Apollo Server on express with the
 * subgraph schema, the caller's identity read from gateway-signed headers,
 * every input canonicalised and checked as it enters (inputs.ts), masked
 * errors, /health and /ready.
 *
 * Who may reach /graphql: a request carrying a valid gateway assertion (also
 * anonymous ones) or a valid service credential. One carrying an invalid,
 * expired or foreign one is refused with 401 UNAUTHENTICATED everywhere. One
 * carrying neither is refused the same way in production; in development it
 * is served as an anonymous caller, so Sandbox and curl work on a subgraph's
 * own port. That is safe because an anonymous caller there gets exactly what
 * it gets anonymously through the gateway: entity references apply the same
 * visibility rules as the public fields, and internal operations require the
 * service credential. /health and /ready never ask; /metrics as metrics.ts says.
 */
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { parse, type GraphQLError } from 'graphql';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { makeServer } from 'graphql-ws';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { createHttpApp, listen, mountGraphQL, type HealthCheck, type RunningServer } from './http';
import { readCaller, readSubscriptionCaller, type Caller } from './caller';
import { formatError, serviceUnavailable } from './errors';
import { guardInputs } from './inputs';
import { acceptRequestId, newRequestId, REQUEST_ID_HEADER, runWithRequestId } from './request-id';
import { serveWebSockets, webSocketErrorMask, type WebSocketExtra } from './websocket';
import type { CommonConfig } from './config';
import type { ServiceMetrics } from './metrics';
import type { Logger } from './log';

export interface SubgraphDefinition<TContext extends { caller: Caller }> {
  name: string;
  /** Path of the subgraph's schema.graphql. */
  schemaPath: string;
  resolvers: GraphQLResolverMap<TContext>;
  /** Builds the per-request context (loaders and the like) for a caller. */
  context: (caller: Caller) => TContext;
  checks: HealthCheck[];
  /** Extra figures for GET /health. */
  details?: () => object;
  /** Serve the schema's subscriptions over graphql-ws on the same URL. */
  subscriptions?: boolean;
  /** Releases what the subgraph holds (database, timers) after HTTP has drained. */
  onStop: () => Promise<void>;
  log: Logger;
  /** The service's metrics, with its domain counters and pool gauges; startSubgraph adds HTTP, GraphQL and websocket ones. */
  metrics: ServiceMetrics;
}

/** Largest websocket message a subgraph accepts, in bytes: the HTTP body limit. */
const MAX_MESSAGE_BYTES = 100 * 1024;
/** Ping interval of subgraph websockets (graphql-ws/use/ws's default, which they had before). */
const KEEP_ALIVE_MS = 12_000;

export interface ListenOptions extends Pick<CommonConfig, 'host' | 'production' | 'subgraphSecret' | 'serviceSecret'> {
  port: number;
}

export async function startSubgraph<TContext extends { caller: Caller }>(
  definition: SubgraphDefinition<TContext>,
  options: ListenOptions,
): Promise<RunningServer> {
  const typeDefs = parse(readFileSync(definition.schemaPath, 'utf8'));
  const schema = guardInputs(buildSubgraphSchema({ typeDefs, resolvers: definition.resolvers as GraphQLResolverMap<unknown> }));
  const app = createHttpApp(definition.name, definition.checks, definition.details, definition.metrics);
  const httpServer = http.createServer(app);
  const mask = formatError(definition.log);
  const maskOverWebSocket = webSocketErrorMask(mask);
  // The caller and the request id of each subscription, read in onSubscribe, by its subscribe message's payload.
  const callers = new WeakMap<object, Caller>();
  const requestIds = new WeakMap<object, string>();
  // Errors of a subscription are masked (and logged) as its work, so they carry its request id.
  const asWorkOf = <T>(payload: object, work: () => T): T => runWithRequestId(requestIds.get(payload) ?? newRequestId(), work);
  const websockets = definition.subscriptions
    ? serveWebSockets(
        makeServer<Record<string, unknown>, WebSocketExtra>({
          schema,
          // A bad identity refuses that one subscription; thrown from `context`, it would close the
          // gateway's whole connection (4500) and every subscription on it.
          onSubscribe: (_ctx, _id, payload) => {
            requestIds.set(payload, acceptRequestId(payload.extensions?.[REQUEST_ID_HEADER]));
            try {
              callers.set(payload, readSubscriptionCaller(payload.extensions, options));
            } catch (error) {
              return [error as GraphQLError];
            }
          },
          context: (_ctx, _id, payload) => definition.context(callers.get(payload)!),
          // Same masking as over HTTP.
          onNext: (_ctx, _id, payload, _args, result) =>
            result.errors ? asWorkOf(payload, () => ({ ...result, errors: result.errors!.map(maskOverWebSocket) })) : result,
          onError: (_ctx, _id, payload, errors) => asWorkOf(payload, () => errors.map(maskOverWebSocket)) as never,
        }),
        // Messages are bounded as HTTP bodies are (mountGraphQL's 100 kB).
        { server: httpServer, path: '/graphql', maxMessageBytes: MAX_MESSAGE_BYTES, keepAliveMs: KEEP_ALIVE_MS, log: definition.log },
      )
    : null;
  if (websockets) definition.metrics.observeWebSockets(() => websockets.connections());
  const apollo = new ApolloServer<TContext>({
    schema,
    formatError: mask,
    includeStacktraceInErrorResponses: false,
    // runService owns signal handling and stops the server in order.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      definition.metrics.graphqlPlugin(),
      ApolloServerPluginInlineTraceDisabled(),
      // No @cacheControl hints anywhere: skip the plugin's hook on every resolved field.
      ApolloServerPluginCacheControlDisabled(),
      // Close websocket subscriptions before HTTP drains, so nothing waits on them.
      { serverWillStart: async () => ({ drainServer: async () => void (await websockets?.dispose()) }) },
      // A request whose caller stopped waiting before it got here (this process was paused or
      // overloaded) is not started: its answer would reach nobody, and a late mutation would
      // change what the caller was already told was not known.
      {
        requestDidStart: async () => ({
          didResolveOperation: async ({ contextValue }) => {
            const { deadline } = contextValue.caller;
            if (deadline !== null && Date.now() >= deadline) throw serviceUnavailable('The caller stopped waiting before this request started.');
          },
        }),
      },
    ],
  });
  await apollo.start();
  mountGraphQL(
    app,
    expressMiddleware(apollo, {
      context: async ({ req }) => definition.context(readCaller(req, options)),
    }),
    undefined,
    definition.log,
  );
  const { url, port } = await listen(httpServer, options.port, options.host);
  let stopped: Promise<void> | null = null;
  return {
    url,
    port,
    stop() {
      stopped ??= apollo.stop().then(() => definition.onStop());
      return stopped;
    },
  };
}
