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
 * service credential. /health and /ready never ask.
 */
import http from 'node:http';
import { readFileSync } from 'node:fs';
import express from 'express';
import { parse, type GraphQLError } from 'graphql';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { makeServer } from 'graphql-ws';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { createHttpApp, listen, mountGraphQL, type HealthCheck, type RunningServer } from './http';
import {
  CLIENT_HEADER,
  IDENTITY_HEADER,
  SERVICE_HEADER,
  verifyClientAddress,
  verifyIdentity,
  verifyServiceCredential,
  type Viewer,
} from './identity';
import { formatError, serviceUnavailable, unauthenticated } from './errors';
import { guardInputs } from './inputs';
import { serveWebSockets, webSocketErrorMask, type WebSocketExtra } from './websocket';
import type { CommonConfig } from './config';
import type { Logger } from './log';

/**
 * The time budget header: the milliseconds the caller will still wait for
 * the answer, counted from when the request is sent. The gateway sends it on
 * every subgraph request, the order subgraph on every course call.
 */
export const BUDGET_HEADER = 'x-coursegraph-budget-ms';
/** The largest budget honoured (10 minutes); larger or malformed values are ignored. */
const MAX_BUDGET_MS = 600_000;

/**
 * Reads a budget header value into an absolute deadline (epoch ms), or null
 * when there is none or it is not an integer from 0 to MAX_BUDGET_MS.
 */
export function readBudget(value: string | undefined, now = Date.now()): number | null {
  if (value === undefined || !/^\d{1,7}$/.test(value)) return null;
  const ms = Number(value);
  return ms <= MAX_BUDGET_MS ? now + ms : null;
}

/** Who is calling a subgraph: a user (through the gateway), a service, or nobody; and from where, when the gateway says. */
export interface Caller {
  viewer: Viewer | null;
  service: string | null;
  address: string | null;
  /**
   * When the caller stops waiting (epoch ms), from the budget header; null
   * when it sent none. Work for this request must not outlive it.
   */
  deadline: number | null;
}

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
}

/** Largest websocket message a subgraph accepts, in bytes: the HTTP body limit. */
const MAX_MESSAGE_BYTES = 100 * 1024;
/** Ping interval of subgraph websockets (graphql-ws/use/ws's default, which they had before). */
const KEEP_ALIVE_MS = 12_000;

export interface ListenOptions extends Pick<CommonConfig, 'host' | 'production' | 'subgraphSecret' | 'serviceSecret'> {
  port: number;
}

function header(req: express.Request, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

type Secrets = Pick<CommonConfig, 'production' | 'subgraphSecret' | 'serviceSecret'>;

/** The caller of an HTTP request; throws 401 UNAUTHENTICATED as described above. */
export function readCaller(req: express.Request, secrets: Secrets): Caller {
  const caller = verifyCaller(header(req, IDENTITY_HEADER), header(req, SERVICE_HEADER), secrets, header(req, CLIENT_HEADER));
  return { ...caller, deadline: readBudget(header(req, BUDGET_HEADER)) };
}

/**
 * Over websockets the gateway sends the same assertions per subscription, in
 * the subscribe message's `extensions`, since one connection carries the
 * subscriptions of many users.
 */
function readSubscriptionCaller(extensions: Record<string, unknown> | null | undefined, secrets: Secrets): Caller {
  const text = (name: string) => (typeof extensions?.[name] === 'string' ? (extensions[name] as string) : undefined);
  return verifyCaller(text(IDENTITY_HEADER), text(SERVICE_HEADER), secrets);
}

/** 401 rather than unauthenticated()'s 200: the request as a whole is refused, before any operation runs. */
function refused(message: string) {
  const error = unauthenticated(message);
  error.extensions.http = { status: 401 };
  return error;
}

function verifyCaller(identity: string | undefined, service: string | undefined, secrets: Secrets, client?: string): Caller {
  if (secrets.production && !identity && !service) {
    throw refused('This service answers the gateway and internal services only.');
  }
  try {
    return {
      viewer: identity ? verifyIdentity(secrets.subgraphSecret, identity) : null,
      service: service ? verifyServiceCredential(secrets.serviceSecret, service) : null,
      address: client ? verifyClientAddress(secrets.subgraphSecret, client) : null,
      deadline: null,
    };
  } catch {
    throw refused('The identity sent with this request is not valid.');
  }
}

export async function startSubgraph<TContext extends { caller: Caller }>(
  definition: SubgraphDefinition<TContext>,
  options: ListenOptions,
): Promise<RunningServer> {
  const typeDefs = parse(readFileSync(definition.schemaPath, 'utf8'));
  const schema = guardInputs(buildSubgraphSchema({ typeDefs, resolvers: definition.resolvers as GraphQLResolverMap<unknown> }));
  const app = createHttpApp(definition.name, definition.checks, definition.details);
  const httpServer = http.createServer(app);
  const mask = formatError(definition.log);
  const maskOverWebSocket = webSocketErrorMask(mask);
  // The caller of each subscription, verified in onSubscribe, by its subscribe message's payload.
  const callers = new WeakMap<object, Caller>();
  const websockets = definition.subscriptions
    ? serveWebSockets(
        makeServer<Record<string, unknown>, WebSocketExtra>({
          schema,
          // A bad identity refuses that one subscription; thrown from `context`, it would close the
          // gateway's whole connection (4500) and every subscription on it.
          onSubscribe: (_ctx, _id, payload) => {
            try {
              callers.set(payload, readSubscriptionCaller(payload.extensions, options));
            } catch (error) {
              return [error as GraphQLError];
            }
          },
          context: (_ctx, _id, payload) => definition.context(callers.get(payload)!),
          // Same masking as over HTTP.
          onNext: (_ctx, _id, _payload, _args, result) =>
            result.errors ? { ...result, errors: result.errors.map(maskOverWebSocket) } : result,
          onError: (_ctx, _id, _payload, errors) => errors.map(maskOverWebSocket) as never,
        }),
        // Messages are bounded as HTTP bodies are (mountGraphQL's 100 kB).
        { server: httpServer, path: '/graphql', maxMessageBytes: MAX_MESSAGE_BYTES, keepAliveMs: KEEP_ALIVE_MS, log: definition.log },
      )
    : null;
  const apollo = new ApolloServer<TContext>({
    schema,
    formatError: mask,
    includeStacktraceInErrorResponses: false,
    // runService owns signal handling and stops the server in order.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
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
