/**
 * Subscriptions through the gateway, over graphql-ws on the same URL as HTTP.
 *
 * @apollo/gateway plans subscriptions but will not execute them, so this
 * module runs the plan itself. The query planner splits a subscription into
 * a `primary` fetch (the subscription on the subgraph that owns the root
 * field) and a `rest` plan (entity fetches for fields of other subgraphs).
 * The primary runs as a graphql-ws subscription on that subgraph; each event
 * it yields is fed to @apollo/gateway's own executeQueryPlan, through a
 * one-node "event" fetch followed by `rest`, so every event is completed and
 * shaped exactly as a query would be.
 *
 * Clients asking the same operation with the same variables as the same
 * viewer share one upstream subscription and one plan execution per event
 * (a "topic"). A client joining a running topic first receives its latest
 * event for each distinct id the events carry at their root, so it starts
 * from the current state. The upstream subscription closes as soon as the
 * last client of a topic leaves.
 */
import type http from 'node:http';
import {
  GraphQLError,
  parse,
  print,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type FormattedExecutionResult,
  type GraphQLFormattedError,
  type ValidationRule,
} from 'graphql';
import WebSocket, { WebSocketServer } from 'ws';
import { createClient, type Client, type OperationResult } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { operationFromDocument, Supergraph, type Schema } from '@apollo/federation-internals';
import { QueryPlanner, type FetchNode, type PlanNode, type QueryPlan } from '@apollo/query-planner';
import { buildOperationContext, executeQueryPlan, type ServiceMap } from '@apollo/gateway';
import type { GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import { IDENTITY_HEADER, formatError, pushIterator, type Logger, type PushIterator } from '@coursegraph/runtime';
import type { GatewayContext } from './auth';

export interface SubscriptionOptions {
  supergraphSdl: string;
  /** The gateway's data sources, for the entity fetches of `rest`. */
  serviceMap: ServiceMap;
  /** Subgraph HTTP URLs by name; their websockets are on the same URLs. */
  subgraphUrls: Record<string, string>;
  /** Authenticates `connection_init` (and the upgrade request's headers); throws to refuse. */
  authenticate: (authorization: string | undefined) => GatewayContext;
  /** A longer-lived identity assertion for upstream subscriptions, which outlive a request. */
  signIdentity: (context: GatewayContext) => string;
  maxSubscriptionsPerConnection: number;
  keepAliveMs: number;
  /** Extra validation (depth and cost limits), as over HTTP. */
  validationRules: ValidationRule[];
  log: Logger;
}

const EVENT_SERVICE = '__subscription_event__';
/** Events a client may fall behind by before its subscription is ended. */
const MAX_BACKLOG = 1_000;

type Result = FormattedExecutionResult;

const clientError = (message: string, code: string): GraphQLFormattedError => ({ message, extensions: { code } });

const withCode = (error: GraphQLError, code: string) =>
  new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, extensions: { code } });

/** The ids an event carries at its root (and one level down), which identify what it is about. */
function eventIdentity(result: Result): string {
  const root = result.data && Object.values(result.data)[0];
  if (!root || typeof root !== 'object') return '';
  const ids: string[] = [];
  for (const [field, value] of Object.entries(root as Record<string, unknown>)) {
    if (typeof value === 'string' && /id$/i.test(field)) ids.push(`${field}=${value}`);
    else if (value && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'string') {
      ids.push(`${field}.id=${(value as { id: string }).id}`);
    }
  }
  return ids.join('&');
}

/** One upstream subscription shared by every client asking the same thing. */
class Topic {
  private readonly subscribers = new Set<PushIterator<Result>>();
  private readonly latest = new Map<string, Result>();
  private chain: Promise<void> = Promise.resolve();
  private unsubscribe: (() => void) | null = null;
  ended = false;

  constructor(
    private readonly upstream: Client,
    private readonly payload: { query: string; variables: Record<string, unknown>; operationName?: string; extensions: Record<string, unknown> },
    private readonly complete: (event: Result) => Promise<Result>,
    private readonly onEmpty: () => void,
    private readonly log: Logger,
  ) {}

  join(): AsyncIterableIterator<Result> {
    const subscriber: PushIterator<Result> = pushIterator<Result>({
      maxBacklog: MAX_BACKLOG,
      onEnd: () => this.leave(subscriber),
      overflow: () => ({ errors: [clientError('This subscription fell too far behind and was ended.', 'SUBSCRIPTION_OVERFLOW')] }),
    });
    for (const result of this.latest.values()) subscriber.push(result);
    this.subscribers.add(subscriber);
    if (!this.unsubscribe) this.start();
    return subscriber.iterator;
  }

  private start(): void {
    this.unsubscribe = this.upstream.subscribe<Record<string, unknown>, Record<string, unknown>>(this.payload, {
      // Events complete in order, one at a time: entity fetches must not reorder them.
      next: (event) => {
        this.chain = this.chain.then(() => this.deliver(event));
      },
      error: (error) => {
        this.log.warn('upstream subscription failed', { error: error instanceof Error ? error.message : String(error) });
        const errors = Array.isArray(error)
          ? (error as GraphQLFormattedError[])
          : [clientError('The subscription service is unavailable.', 'UNAVAILABLE')];
        this.chain = this.chain.then(() => this.finish({ errors }));
      },
      complete: () => {
        this.chain = this.chain.then(() => this.finish(null));
      },
    });
  }

  private async deliver(event: Result): Promise<void> {
    if (this.ended) return;
    let result: Result;
    try {
      result = event.data ? await this.complete(event) : { errors: event.errors };
    } catch (error) {
      this.log.error('completing a subscription event failed', { error });
      result = { errors: [clientError('Internal server error', 'INTERNAL_SERVER_ERROR')] };
    }
    if (result.data) this.latest.set(eventIdentity(result), result);
    for (const subscriber of this.subscribers) subscriber.push(result);
  }

  private finish(last: Result | null): void {
    if (this.ended) return;
    this.ended = true;
    this.onEmpty();
    for (const subscriber of [...this.subscribers]) {
      if (last) subscriber.push(last);
      subscriber.end();
    }
  }

  private leave(subscriber: PushIterator<Result>): void {
    this.subscribers.delete(subscriber);
    if (this.subscribers.size > 0 || this.ended) return;
    this.ended = true;
    this.unsubscribe?.();
    this.onEmpty();
  }
}

export interface SubscriptionServer {
  /** Client connections, and upstream subscriptions (one per topic), open now. */
  stats(): { connections: number; upstream: number };
  dispose(): Promise<void>;
}

export function attachSubscriptions(httpServer: http.Server, options: SubscriptionOptions): SubscriptionServer {
  const { log } = options;
  const supergraph = Supergraph.build(options.supergraphSdl);
  const planner = new QueryPlanner(supergraph);
  const apiSchema: Schema = supergraph.apiSchema();
  const apiSchemaJs = apiSchema.toGraphQLJSSchema();
  const supergraphSchemaJs = supergraph.schema.toGraphQLJSSchema();
  const mask = formatError(log);
  const topics = new Map<string, Topic>();
  const upstreams = new Map<string, Client>();
  const contexts = new WeakMap<object, GatewayContext>();

  function upstream(serviceName: string): Client {
    let client = upstreams.get(serviceName);
    if (!client) {
      const url = options.subgraphUrls[serviceName];
      if (!url) throw new Error(`no URL for subgraph ${serviceName}`);
      client = createClient({
        url: url.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        lazy: true,
        lazyCloseTimeout: 1_000,
        keepAlive: options.keepAliveMs,
        retryAttempts: Infinity,
        shouldRetry: () => true,
      });
      upstreams.set(serviceName, client);
    }
    return client;
  }

  function subscribe(args: ExecutionArgs): AsyncIterableIterator<Result> | Result {
    const context = args.contextValue as GatewayContext;
    const operation = operationFromDocument(apiSchema, args.document, { operationName: args.operationName ?? undefined });
    const plan = planner.buildQueryPlan(operation);
    if (plan.node?.kind !== 'Subscription') {
      return { errors: [clientError('Only subscriptions are served over websockets; send queries and mutations over HTTP.', 'BAD_REQUEST')] };
    }
    const variables = (args.variableValues ?? {}) as Record<string, unknown>;
    const primary: FetchNode = plan.node.primary;
    const rest: PlanNode | undefined = plan.node.rest;
    const key = JSON.stringify([print(args.document), args.operationName, variables, context.viewer]);
    let topic = topics.get(key);
    if (!topic || topic.ended) {
      const identity = options.signIdentity(context);
      const eventFetch: FetchNode = { ...primary, serviceName: EVENT_SERVICE };
      const eventPlan: QueryPlan = { kind: 'QueryPlan', node: rest ? { kind: 'Sequence', nodes: [eventFetch, rest] } : eventFetch };
      const operationContext = buildOperationContext({
        schema: apiSchemaJs,
        operationDocument: args.document,
        operationName: args.operationName ?? undefined,
      });
      const created: Topic = new Topic(
        upstream(primary.serviceName),
        {
          query: primary.operation,
          variables: Object.fromEntries((primary.variableUsages ?? []).map((name) => [name, variables[name]])),
          operationName: primary.operationName,
          extensions: { [IDENTITY_HEADER]: identity },
        },
        async (event) => {
          const requestContext = {
            request: { variables, operationName: args.operationName ?? undefined },
            // A fresh assertion per event: the connection's own expires a minute after it was made.
            context: { ...context, identity: options.signIdentity(context) },
            metrics: {},
            logger: undefined,
          } as unknown as GatewayGraphQLRequestContext;
          const serviceMap: ServiceMap = { ...options.serviceMap, [EVENT_SERVICE]: { process: async () => event } as never };
          const result = await executeQueryPlan(eventPlan, serviceMap, requestContext, operationContext, supergraphSchemaJs, apiSchema);
          return { data: result.data, ...(result.errors ? { errors: result.errors.map((error) => mask(error.toJSON(), error)) } : {}) };
        },
        () => {
          if (topics.get(key) === created) topics.delete(key);
        },
        log,
      );
      topic = created;
      topics.set(key, topic);
    }
    return topic.join();
  }

  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql' });
  const graphqlWs = useServer(
    {
      schema: apiSchemaJs,
      onConnect: (ctx) => {
        const params = ctx.connectionParams ?? {};
        const fromParams = params.authorization ?? params.Authorization ?? (params.token ? `Bearer ${String(params.token)}` : undefined);
        const authorization = typeof fromParams === 'string' ? fromParams : ctx.extra.request.headers.authorization;
        try {
          contexts.set(ctx.extra.socket, options.authenticate(authorization));
          return true;
        } catch {
          return false; // graphql-ws closes with 4403 Forbidden
        }
      },
      // Parse and validate here, so a bad document is an `error` message for that
      // operation rather than a closed connection.
      onSubscribe: (ctx, _id, payload) => {
        // graphql-ws has already reserved this subscription's id when onSubscribe runs.
        if (Object.keys(ctx.subscriptions).length > options.maxSubscriptionsPerConnection) {
          return [new GraphQLError(`At most ${options.maxSubscriptionsPerConnection} subscriptions per connection.`, { extensions: { code: 'BAD_REQUEST' } })];
        }
        let document: DocumentNode;
        try {
          document = parse(payload.query);
        } catch (error) {
          return [withCode(error as GraphQLError, 'GRAPHQL_PARSE_FAILED')];
        }
        const errors = validate(apiSchemaJs, document, [...specifiedRules, ...options.validationRules]);
        if (errors.length > 0) return errors.map((error) => withCode(error, 'GRAPHQL_VALIDATION_FAILED'));
        return {
          schema: apiSchemaJs,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue: contexts.get(ctx.extra.socket),
        };
      },
      // Results here are already formatted (masked), which graphql-ws sends as they are.
      subscribe: (args) => subscribe(args) as OperationResult,
      execute: () => ({
        errors: [new GraphQLError('Only subscriptions are served over websockets; send queries and mutations over HTTP.', { extensions: { code: 'BAD_REQUEST' } })],
      }),
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: result.errors.map((error) => (error instanceof GraphQLError ? mask(error.toJSON(), error) : mask(error, error))) } : result,
      onError: (_ctx, _id, _payload, errors) => errors.map((error) => mask(error.toJSON(), error)) as never,
    },
    wsServer,
  );

  // Keep-alive: ping every client; one that has not answered the previous ping is gone.
  const alive = new WeakSet<WebSocket>();
  wsServer.on('connection', (socket) => {
    alive.add(socket);
    socket.on('pong', () => alive.add(socket));
  });
  const pinger = setInterval(() => {
    for (const socket of wsServer.clients) {
      if (!alive.has(socket)) {
        socket.terminate();
        continue;
      }
      alive.delete(socket);
      socket.ping();
    }
  }, options.keepAliveMs);
  pinger.unref();

  return {
    stats: () => ({ connections: wsServer.clients.size, upstream: topics.size }),
    async dispose() {
      clearInterval(pinger);
      await graphqlWs.dispose();
      await new Promise((resolve) => wsServer.close(resolve));
      await Promise.all([...upstreams.values()].map((client) => client.dispose()));
    },
  };
}
