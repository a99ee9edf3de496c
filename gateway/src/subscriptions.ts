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
 * complete event per stream key (the event's `ID!` fields on a versioned
 * stream; the last event otherwise), then any later event of the key whose
 * completion failed, completed again, so it starts from the current state.
 * The upstream subscription closes as soon as the last client of a topic
 * leaves. On a versioned stream a topic delivers each
 * key's versions in strictly increasing order, also across upstream
 * reconnects (`withVersioning`).
 *
 * Every credential a subscription carries is signed when it is used: the
 * identity of each event's entity fetches and of each upstream (re)subscribe.
 * The connection itself closes (4419) when the user's access token expires.
 * Messages, connections and the wait for `connection_init` are bounded
 * (`WebSocketLimits`). Each connection keeps its own record of the
 * subscriptions it holds (`Session`), which ends every one of them and counts
 * them against the per-connection cap.
 */
import type http from 'node:http';
import {
  GraphQLError,
  getNamedType,
  getOperationAST,
  getVariableValues,
  isNonNullType,
  isObjectType,
  isScalarType,
  Kind,
  parse,
  print,
  type DocumentNode,
  type ExecutionArgs,
  type FieldNode,
  type FormattedExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ParseOptions,
} from 'graphql';
import type { OperationLimits } from './limits';
import WebSocket from 'ws';
import { createClient, makeServer, type Client, type OperationResult } from 'graphql-ws';
import { operationFromDocument, Supergraph, type Schema } from '@apollo/federation-internals';
import { QueryPlanner, type FetchNode, type QueryPlan } from '@apollo/query-planner';
import { buildOperationContext, executeQueryPlan, type ServiceMap } from '@apollo/gateway';
import type { GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import {
  IDENTITY_HEADER,
  formatError,
  pushIterator,
  serveWebSockets,
  tokenExpiresAt,
  type Logger,
  type PushIterator,
  type Viewer,
  type WebSocketExtra,
} from '@coursegraph/runtime';
import type { GatewayContext } from './auth';

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
  /** The token limit for parsing a client's document, as over HTTP. */
  parseOptions: ParseOptions;
  /**
   * Validation, variables and every operation limit (depth, aliases,
   * directives, cost on the coerced variables), exactly as over HTTP
   * (gateway/src/limits.ts); returns the client's errors, empty when allowed.
   */
  checkOperation: OperationLimits['checkOperation'];
  log: Logger;
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

const EVENT_SERVICE = '__subscription_event__';
/** Events a client may fall behind by before its subscription is ended. */
export const MAX_BACKLOG = 1_000;
/** setTimeout's longest delay; a longer one fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Response names the gateway adds to an upstream subscription to read an event's version and key. */
const VERSION_ALIAS = '_gatewayVersion';
const KEY_ALIAS = '_gatewayKey';

type Result = FormattedExecutionResult;

const clientError = (message: string, code: string): GraphQLFormattedError => ({ message, extensions: { code } });

const withCode = (error: GraphQLError, code: string) =>
  new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, extensions: { code } });

/** Where an upstream event carries its version and key (see `withVersioning`). */
interface Versioning {
  /** Response name of the subscription's root field. */
  field: string;
  keyCount: number;
}

/**
 * Versioned streams. A subscription field whose type has `version: Int!`
 * promises versions that strictly increase per value of the type's `ID!`
 * fields (SeatsChangedEvent: per `courseId`, subgraphs/course/schema.graphql).
 * A subgraph keeps that promise within one upstream subscription only: after
 * a reconnect (a restarted subgraph) the resubscription starts again from the
 * current state, which the clients have already seen. So the gateway asks
 * for the version and the key under aliases of its own, whatever the client
 * selected, and each topic drops any event whose version is not above the
 * last one it delivered for that key. The aliases never reach clients:
 * executeQueryPlan shapes each result to the client's selection.
 */
function withVersioning(operation: string, schema: GraphQLSchema): { query: string; versioning: Versioning | null } {
  const unchanged = { query: operation, versioning: null };
  const document = parse(operation);
  const definition = document.definitions.find((node): node is OperationDefinitionNode => node.kind === Kind.OPERATION_DEFINITION);
  const root = definition?.selectionSet.selections.find((node): node is FieldNode => node.kind === Kind.FIELD && node.name.value !== '__typename');
  const type = root && schema.getSubscriptionType()?.getFields()[root.name.value]?.type;
  const eventType = type && getNamedType(type);
  if (!definition || !root?.selectionSet || !isObjectType(eventType)) return unchanged;
  const nonNullScalar = (field: { type: unknown }, name: string) =>
    isNonNullType(field.type) && isScalarType(field.type.ofType) && field.type.ofType.name === name;
  const fields = Object.values(eventType.getFields());
  const version = fields.find((field) => field.name === 'version' && nonNullScalar(field, 'Int'));
  const keys = fields.filter((field) => nonNullScalar(field, 'ID'));
  if (!version || keys.length === 0) return unchanged;
  const aliased = (name: string, alias: string): FieldNode => ({
    kind: Kind.FIELD,
    alias: { kind: Kind.NAME, value: alias },
    name: { kind: Kind.NAME, value: name },
  });
  const extended: FieldNode = {
    ...root,
    selectionSet: {
      ...root.selectionSet,
      selections: [...root.selectionSet.selections, aliased(version.name, VERSION_ALIAS), ...keys.map((key, index) => aliased(key.name, `${KEY_ALIAS}${index}`))],
    },
  };
  const selections = definition.selectionSet.selections.map((node) => (node === root ? extended : node));
  const definitions = document.definitions.map((node) => (node === definition ? { ...definition, selectionSet: { ...definition.selectionSet, selections } } : node));
  return { query: print({ ...document, definitions }), versioning: { field: root.alias?.value ?? root.name.value, keyCount: keys.length } };
}

/** What a topic sends upstream; `extensions` is read at every (re)subscribe. */
interface UpstreamPayload {
  query: string;
  variables: Record<string, unknown>;
  operationName?: string;
  readonly extensions: Record<string, unknown>;
}

/** One upstream subscription shared by every client asking the same thing. */
class Topic {
  private readonly subscribers = new Set<PushIterator<Result>>();
  /** The latest event per stream key (one stream when the field is unversioned), for clients joining later. */
  private readonly latest = new Map<string, Result>();
  /**
   * Upstream events whose completion failed (a subgraph down), per stream key,
   * until a later event of that key completes: completed again for each client
   * that joins, so a client that subscribes again after a SERVICE_UNAVAILABLE
   * event gets the current state, not the one before the outage.
   */
  private readonly failed = new Map<string, Result>();
  /** The last version delivered per key, on a versioned stream. */
  private readonly versions = new Map<string, number>();
  private chain: Promise<void> = Promise.resolve();
  private unsubscribe: (() => void) | null = null;
  ended = false;

  constructor(
    private readonly upstream: Client,
    private readonly payload: UpstreamPayload,
    private readonly versioning: Versioning | null,
    /** Completes an upstream event with the rest of the plan; the result is formatted (masked) already. */
    private readonly complete: (event: Result) => Promise<Result>,
    private readonly mask: (error: GraphQLFormattedError) => GraphQLFormattedError,
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
    if (this.failed.size > 0) this.chain = this.chain.then(() => this.retryFailed(subscriber));
    if (!this.unsubscribe) this.start();
    return subscriber.iterator;
  }

  /**
   * Completes the failed events again for a client that just joined: a success
   * goes to every client (it is newer than what they have), a failure again
   * only to the one that joined. Runs in the delivery chain, so no other
   * event of the topic is delivered meanwhile.
   */
  private async retryFailed(joined: PushIterator<Result>): Promise<void> {
    for (const [key, event] of [...this.failed]) {
      // The topic ended, or the client left, while an earlier event was completed again.
      if (this.ended || !this.subscribers.has(joined)) return;
      const result = await this.completed(event);
      if (this.record(key, event, result)) for (const subscriber of this.subscribers) subscriber.push(result);
      else joined.push(result);
    }
  }

  private start(): void {
    this.unsubscribe = this.upstream.subscribe<Record<string, unknown>, Record<string, unknown>>(this.payload, {
      next: (event) => {
        // Checked in arrival order, before completion, so a stale event costs no entity fetch.
        const key = this.streamKey(event);
        if (key === false) return;
        // Events complete in order, one at a time: entity fetches must not reorder them.
        this.chain = this.chain.then(() => this.deliver(event, key));
      },
      error: (error) => {
        this.log.warn('upstream subscription failed', { error: error instanceof Error ? error.message : String(error) });
        const errors = Array.isArray(error)
          ? (error as GraphQLFormattedError[]).map(this.mask)
          : [{ message: 'The subscription service is unavailable; subscribe again.', extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true } }];
        this.chain = this.chain.then(() => this.finish({ errors }));
      },
      complete: () => {
        this.chain = this.chain.then(() => this.finish(null));
      },
    });
  }

  /**
   * The key of a versioned event (false when its version is not above the last
   * one delivered for that key), or null for an event without a version.
   */
  private streamKey(event: Result): string | null | false {
    if (!this.versioning) return null;
    const root = event.data?.[this.versioning.field] as Record<string, unknown> | null | undefined;
    const version = root?.[VERSION_ALIAS];
    if (typeof version !== 'number') return null;
    const key = JSON.stringify(Array.from({ length: this.versioning.keyCount }, (_v, index) => root![`${KEY_ALIAS}${index}`]));
    if (version <= (this.versions.get(key) ?? -Infinity)) return false;
    this.versions.set(key, version);
    return key;
  }

  private async deliver(event: Result, key: string | null): Promise<void> {
    if (this.ended) return;
    const result = await this.completed(event);
    this.record(key ?? '', event, result);
    for (const subscriber of this.subscribers) subscriber.push(result);
  }

  /** The client's result for an upstream event, formatted. */
  private async completed(event: Result): Promise<Result> {
    if (!event.data) return { errors: (event.errors ?? []).map(this.mask) };
    try {
      return await this.complete(event);
    } catch (error) {
      this.log.error('completing a subscription event failed', { error });
      return { errors: [clientError('Internal server error', 'INTERNAL_SERVER_ERROR')] };
    }
  }

  /**
   * Keeps a complete result as its key's latest event. A result with errors
   * never is: a client joining later gets the last complete one, then the
   * upstream event completed again (`failed`) if the upstream sent one.
   * Returns whether the result was complete.
   */
  private record(key: string, event: Result, result: Result): boolean {
    if (result.data && !result.errors?.length) {
      this.latest.set(key, result);
      this.failed.delete(key);
      return true;
    }
    if (event.data) this.failed.set(key, event);
    return false;
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

/** One subscription the gateway accepted on a connection, from `onSubscribe` until it ends. */
interface Operation {
  id: string;
  /** The subscribe message's payload: graphql-ws hands this same object to every hook of the operation. */
  payload: object;
  /** True while graphql-ws still holds the operation, false once the client completed it. */
  wanted: () => boolean;
  /** What the gateway handed graphql-ws for it, once set up. */
  iterator: AsyncIterableIterator<Result> | null;
  /** Set once, when it is ended by any path; an ended subscription opens nothing more. */
  ended: boolean;
}

/** An iterator that has ended, for a subscription ended before it was set up. */
async function* nothing(): AsyncGenerator<Result> {}

/**
 * One client connection: its context and every subscription accepted on it.
 * The gateway keeps this record itself rather than trusting graphql-ws's per-id
 * one (`ctx.subscriptions`), where a subscription still being set up can take
 * over the entry of a newer one with the same id. Every iterator handed out is
 * ended when its subscription finishes, when a subscribe reuses its id, or when
 * the socket closes; the per-connection cap counts what is open here.
 */
class Session {
  private readonly operations = new Map<string, Operation>();
  private closed = false;

  constructor(readonly context: GatewayContext) {}

  /** Subscriptions open now, being set up included. */
  get size(): number {
    return this.operations.size;
  }

  /**
   * Ends the subscription that had this id, if any, for a new subscribe with
   * it: graphql-ws accepts a reused id only once the client completed it.
   */
  replace(id: string): void {
    this.end(this.operations.get(id));
  }

  /** Records a subscription accepted now (ended at once if the socket has closed). */
  open(id: string, payload: object, wanted: () => boolean): Operation {
    const operation: Operation = { id, payload, wanted, iterator: null, ended: this.closed };
    if (!this.closed) this.operations.set(id, operation);
    return operation;
  }

  /** Ends the subscription of the subscribe message with this id and payload, if it is still open. */
  finish(id: string, payload: object): void {
    const operation = this.operations.get(id);
    if (operation?.payload === payload) this.end(operation);
  }

  /** The socket closed: ends every subscription, and any accepted later. */
  close(): void {
    this.closed = true;
    for (const operation of [...this.operations.values()]) this.end(operation);
  }

  private end(operation: Operation | undefined): void {
    if (!operation || operation.ended) return;
    operation.ended = true;
    if (this.operations.get(operation.id) === operation) this.operations.delete(operation.id);
    void operation.iterator?.return?.();
  }
}

export interface SubscriptionServer {
  /** Client connections, and upstream subscriptions (one per topic), open now. */
  stats(): { connections: number; upstream: number };
  dispose(): Promise<void>;
}

/** The bearer token of `connection_init` parameters or, failing those, of the upgrade request. */
function authorizationOf(params: Record<string, unknown>, request: http.IncomingMessage): string | undefined {
  const fromParams = params.authorization ?? params.Authorization ?? (params.token ? `Bearer ${String(params.token)}` : undefined);
  return typeof fromParams === 'string' ? fromParams : request.headers.authorization;
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
  const planner = new QueryPlanner(supergraph);
  const apiSchema: Schema = supergraph.apiSchema();
  const apiSchemaJs = apiSchema.toGraphQLJSSchema();
  const supergraphSchemaJs = supergraph.schema.toGraphQLJSSchema();
  const mask = formatError(log);
  const maskFormatted = (error: GraphQLFormattedError) => mask(error, error);
  const topics = new Map<string, Topic>();
  const upstreams = new Map<string, Client>();
  const sessions = new WeakMap<WebSocket, Session>();
  const operations = new WeakMap<ExecutionArgs, Operation>();

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
        keepAlive: limits.keepAliveMs,
        retryAttempts: Infinity,
        shouldRetry: () => true,
      });
      upstreams.set(serviceName, client);
    }
    return client;
  }

  function createTopic(args: ExecutionArgs, context: GatewayContext, variables: Record<string, unknown>, key: string): Topic {
    const operationName = args.operationName ?? undefined;
    const plan = planner.buildQueryPlan(operationFromDocument(apiSchema, args.document, { operationName }));
    // onSubscribe lets subscriptions only through.
    if (plan.node?.kind !== 'Subscription') throw new Error(`expected a subscription plan, got ${plan.node?.kind}`);
    const { primary, rest } = plan.node;
    const eventFetch: FetchNode = { ...primary, serviceName: EVENT_SERVICE };
    const eventPlan: QueryPlan = { kind: 'QueryPlan', node: rest ? { kind: 'Sequence', nodes: [eventFetch, rest] } : eventFetch };
    const operationContext = buildOperationContext({ schema: apiSchemaJs, operationDocument: args.document, operationName });
    const { viewer } = context;
    // Anonymous subscribers carry the gateway's anonymous assertion: subgraphs in production answer nobody else.
    const identity = () => options.signIdentity(viewer);
    const { query, versioning } = withVersioning(primary.operation, apiSchemaJs);
    const payload: UpstreamPayload = {
      query,
      variables: Object.fromEntries((primary.variableUsages ?? []).map((name) => [name, variables[name]])),
      operationName: primary.operationName,
      // graphql-ws re-sends this same payload after every reconnect; a getter signs a fresh identity each time.
      get extensions() {
        return { [IDENTITY_HEADER]: identity() };
      },
    };
    const created: Topic = new Topic(
      upstream(primary.serviceName),
      payload,
      versioning,
      async (event) => {
        const requestContext = {
          request: { variables, operationName },
          // The entity fetches of each event carry an identity signed for them.
          context: { ...context, identity: identity() } satisfies GatewayContext,
          metrics: {},
          logger: undefined,
        } as unknown as GatewayGraphQLRequestContext;
        const serviceMap: ServiceMap = { ...options.serviceMap, [EVENT_SERVICE]: { process: async () => event } as never };
        const result = await executeQueryPlan(eventPlan, serviceMap, requestContext, operationContext, supergraphSchemaJs, apiSchema);
        // A fetch that failed outright (a subgraph down) is a plain Error here, not a GraphQLError: wrapped as Apollo
        // Server wraps it over HTTP, so an outage is SERVICE_UNAVAILABLE here too rather than a crash of this event.
        const errors = (result.errors as unknown[] | undefined)?.map((error) => {
          if (error instanceof GraphQLError) return mask(error.toJSON(), error);
          const cause = error instanceof Error ? error : undefined;
          const wrapped = new GraphQLError(cause?.message ?? String(error), { originalError: cause });
          return mask(wrapped.toJSON(), wrapped);
        });
        return { data: result.data, ...(errors ? { errors } : {}) };
      },
      maskFormatted,
      () => {
        if (topics.get(key) === created) topics.delete(key);
      },
      log,
    );
    return created;
  }

  function subscribe(args: ExecutionArgs): AsyncIterableIterator<Result> | Result {
    const operation = operations.get(args)!;
    // Completed by the client or closed with its socket while it was set up: nothing to open upstream.
    if (operation.ended || !operation.wanted()) return nothing();
    const context = args.contextValue as GatewayContext;
    // Coerced by onSubscribe: only the operation's own variables, so unused ones neither split topics nor travel upstream.
    const variables = (args.variableValues ?? {}) as Record<string, unknown>;
    const key = JSON.stringify([print(args.document), args.operationName, variables, context.viewer]);
    let topic = topics.get(key);
    if (!topic || topic.ended) {
      topic = createTopic(args, context, variables, key);
      topics.set(key, topic);
    }
    operation.iterator = topic.join();
    return operation.iterator;
  }

  /** Parses, validates and coerces one subscribe message; errors carry the codes HTTP would give. */
  function prepare(payload: { query: string; operationName?: string | null; variables?: Record<string, unknown> | null }, contextValue: GatewayContext): ExecutionArgs | GraphQLError[] {
    let document: DocumentNode;
    try {
      document = parse(payload.query, options.parseOptions);
    } catch (error) {
      return [withCode(error as GraphQLError, 'GRAPHQL_PARSE_FAILED')];
    }
    const errors = options.checkOperation(apiSchemaJs, document, payload.variables, payload.operationName);
    if (errors.length > 0) return errors;
    const operation = getOperationAST(document, payload.operationName);
    if (!operation) {
      const message = payload.operationName ? `Unknown operation named "${payload.operationName}".` : 'Name the operation to run (operationName).';
      return [new GraphQLError(message, { extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } })];
    }
    if (operation.operation !== 'subscription') {
      return [new GraphQLError('Only subscriptions are served over websockets; send queries and mutations over HTTP.', { extensions: { code: 'BAD_REQUEST' } })];
    }
    const coerced = getVariableValues(apiSchemaJs, operation.variableDefinitions ?? [], payload.variables ?? {}, { maxErrors: 10 });
    if (coerced.errors) return coerced.errors.map((error) => withCode(error, 'BAD_USER_INPUT'));
    try {
      // @apollo/gateway builds the operation against its own copy of the schema, which can refuse what graphql-js
      // validated: a client mistake, coded as over HTTP (limits.ts, withClientValidationCodes).
      operationFromDocument(apiSchema, document, { operationName: payload.operationName ?? undefined });
    } catch (error) {
      if (error instanceof GraphQLError && error.extensions.code === 'INVALID_GRAPHQL') return [withCode(error, 'GRAPHQL_VALIDATION_FAILED')];
      throw error;
    }
    return { schema: apiSchemaJs, document, operationName: payload.operationName, variableValues: coerced.coerced, contextValue };
  }

  /** Closes the connection when the access token it was opened with expires. */
  function closeAtExpiry(socket: WebSocket, expiresAt: number): void {
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
      const session = new Session(context);
      sessions.set(ctx.extra.socket, session);
      ctx.extra.socket.once('close', () => session.close());
      const expiresAt = context.viewer && authorization ? tokenExpiresAt(authorization.slice('Bearer '.length)) : null;
      if (expiresAt !== null) closeAtExpiry(ctx.extra.socket, expiresAt);
      return true;
    },
    // Refusals here are an `error` message for that operation, not a closed connection.
    onSubscribe: (ctx, id, payload) => {
      try {
        const session = sessions.get(ctx.extra.socket)!;
        session.replace(id);
        if (session.size >= limits.maxSubscriptionsPerConnection) {
          return [new GraphQLError(`At most ${limits.maxSubscriptionsPerConnection} subscriptions per connection.`, { extensions: { code: 'BAD_REQUEST' } })];
        }
        const prepared = prepare(payload, session.context);
        if (Array.isArray(prepared)) return prepared;
        operations.set(prepared, session.open(id, payload, () => id in ctx.subscriptions));
        return prepared;
      } catch (error) {
        // Thrown out of here, it would close the whole connection; onError masks it to INTERNAL_SERVER_ERROR and logs it.
        return [new GraphQLError(error instanceof Error ? error.message : String(error), { originalError: error instanceof Error ? error : undefined })];
      }
    },
    subscribe: (args) => {
      try {
        return subscribe(args) as unknown as OperationResult;
      } catch (error) {
        // Thrown out of here, graphql-ws would close the whole connection.
        log.error('starting a subscription failed', { error });
        return { errors: [clientError('Internal server error', 'INTERNAL_SERVER_ERROR')] } as unknown as OperationResult;
      }
    },
    // Results are formatted already (Topic); returning them stops graphql-ws from calling GraphQLError.toJSON on them.
    onNext: (_ctx, _id, _payload, _args, result) => result,
    // Every way an operation that got this far ends (finished, failed, completed by the client) passes here.
    onComplete: (ctx, id, payload) => sessions.get(ctx.extra.socket)?.finish(id, payload),
    onError: (_ctx, _id, _payload, errors) => errors.map((error) => mask(error.toJSON(), error)) as never,
  });

  // Connection caps, counted on this instance.
  const perAddress = new Map<string, number>();
  let connections = 0;
  const websockets = serveWebSockets(graphqlWs, {
    server: httpServer,
    path: '/graphql',
    maxMessageBytes: limits.maxMessageBytes,
    keepAliveMs: limits.keepAliveMs,
    admit: (request) => {
      const address = request.socket.remoteAddress ?? 'unknown';
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
    },
    log,
  });

  return {
    stats: () => ({ connections: websockets.connections(), upstream: topics.size }),
    async dispose() {
      await websockets.dispose();
      // dispose() rethrows how the client's last connection closed (1000 once its last subscription left): nothing to act on.
      await Promise.all([...upstreams.values()].map((client) => Promise.resolve(client.dispose()).catch(() => undefined)));
    },
  };
}
