/**
 * Prometheus metrics for one service (prom-client): one `ServiceMetrics` per
 * running service owns its own Registry (never prom-client's global one, so
 * the whole stack can run in one process, as the tests do, without names
 * colliding) with the label `service` on every series, prom-client's default
 * process metrics (CPU, heap, event-loop lag, GC), and the metrics every
 * service shares:
 *
 * - http_requests_total{method, route, status_code} and
 *   http_request_duration_seconds{method, route, status_code}, for every
 *   request express answers (`route` is one of ROUTES, else "other");
 * - graphql_operations_total{operation_name, operation_type},
 *   graphql_operation_duration_seconds{operation_name, operation_type} and
 *   graphql_errors_total{operation_name, code}, by `graphqlPlugin` (the code
 *   is the `extensions.code` the client was sent);
 * - websocket_connections and graphql_active_subscriptions, read at scrape
 *   (subscriptions over graphql-ws never pass Apollo Server, so they show
 *   here only, not in graphql_operations_total);
 * - db_pool_connections{state = idle | in_use}, db_pool_waiting_requests and
 *   db_pool_max_connections of the service's TypeORM pg Pool, read at scrape.
 *
 * A service adds its domain counters with `counter` (the subgraphs'
 * metrics.ts). Names follow Prometheus practice
 * (https://prometheus.io/docs/practices/naming/): snake_case, `_total` for
 * counters, base units (`_seconds`).
 *
 * Exposure: GET /metrics on the service's own port (`serveMetrics`), unless
 * METRICS_ENABLED=false; with METRICS_TOKEN set it asks for
 * `Authorization: Bearer <token>` (401 otherwise), for a gateway whose port
 * is public. No label carries a user, an id, a token or free text: label
 * values are methods, fixed routes, status codes, error codes, and operation
 * names, which clients choose, so those are capped (`LabelCap`).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type express from 'express';
import type { Pool } from 'pg';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DataSource } from 'typeorm';

/** How /metrics is served (METRICS_ENABLED, METRICS_TOKEN in .env.example). */
export interface MetricsConfig {
  /** False: no /metrics route (404); the figures are still kept, they cost next to nothing. */
  enabled: boolean;
  /** When set, /metrics answers only `Authorization: Bearer <token>`. */
  token: string | null;
}

/** The label value of whatever is past a cap (`LabelCap`), or a path that is not one of ROUTES. */
export const OTHER = 'other';
/** The operation name of an operation without one. */
export const ANONYMOUS = 'anonymous';
/** The operation type of a request that never got as far as a resolved operation (a parse or validation error). */
export const UNKNOWN = 'unknown';

/** The paths `route` labels name; every other path (404s, probes) is "other", so clients cannot make series. */
export const ROUTES: ReadonlySet<string> = new Set(['/graphql', '/health', '/ready', '/metrics']);

/** Distinct operation names a service labels before the rest are "other"; error codes likewise. */
export const DEFAULT_LABEL_LIMITS = { operationNames: 200, errorCodes: 50 };

/** Longest operation name kept as a label; a longer one is "other". */
const MAX_NAME_LENGTH = 128;
const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/** Request durations, seconds: 5 ms to the gateway's 30 s request limit. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * Bounds the values of one label: the first `limit` distinct values are kept
 * as they are, every later new one is "other". Values already kept stay kept,
 * so a series never changes its name once it exists.
 */
export class LabelCap {
  private readonly kept = new Set<string>();

  constructor(private readonly limit: number) {}

  /** `value`, or "other" once `limit` other values are kept. */
  of(value: string): string {
    if (this.kept.has(value)) return value;
    if (this.kept.size >= this.limit) return OTHER;
    this.kept.add(value);
    return value;
  }
}

/** An operation name as a label: "anonymous" without one, "other" for one that is not a short GraphQL name or is past the cap. */
function operationNameLabel(name: string | null | undefined, cap: LabelCap): string {
  if (!name) return ANONYMOUS;
  return name.length <= MAX_NAME_LENGTH && GRAPHQL_NAME.test(name) ? cap.of(name) : OTHER;
}

/**
 * Whether an Authorization header carries the configured token: the scheme
 * in any letter case (RFC 9110, section 11.1), the token compared in constant
 * time (digests, so lengths may differ).
 */
function tokenMatches(presented: string | undefined, token: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  const credentials = /^bearer +(.*)$/i.exec(presented ?? '')?.[1] ?? '';
  return timingSafeEqual(digest(credentials), digest(token)) && credentials !== '';
}

/** One service's registry and the metrics every service shares (module docstring). */
export class ServiceMetrics {
  readonly registry = new Registry();
  private readonly operationNames: LabelCap;
  private readonly errorCodes: LabelCap;
  private readonly httpRequests: Counter<'method' | 'route' | 'status_code'>;
  private readonly httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  private readonly operations: Counter<'operation_name' | 'operation_type'>;
  private readonly operationDuration: Histogram<'operation_name' | 'operation_type'>;
  private readonly errors: Counter<'operation_name' | 'code'>;

  /** `service` becomes the `service` label of every series. */
  constructor(
    readonly service: string,
    readonly config: MetricsConfig,
    limits: typeof DEFAULT_LABEL_LIMITS = DEFAULT_LABEL_LIMITS,
  ) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
    this.operationNames = new LabelCap(limits.operationNames);
    this.errorCodes = new LabelCap(limits.errorCodes);
    this.httpRequests = this.counter('http_requests_total', 'HTTP requests answered, by method, route and status code.', [
      'method',
      'route',
      'status_code',
    ]);
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from receiving an HTTP request to the end of its answer, in seconds.',
      labelNames: ['method', 'route', 'status_code'],
      buckets: DURATION_BUCKETS,
      registers: [this.registry],
    });
    this.operations = this.counter('graphql_operations_total', 'GraphQL operations answered, by operation name and type.', [
      'operation_name',
      'operation_type',
    ]);
    this.operationDuration = new Histogram({
      name: 'graphql_operation_duration_seconds',
      help: 'Time from the start of a GraphQL request to its answer, in seconds, by operation name and type.',
      labelNames: ['operation_name', 'operation_type'],
      buckets: DURATION_BUCKETS,
      registers: [this.registry],
    });
    this.errors = this.counter('graphql_errors_total', 'GraphQL errors sent to clients, by operation name and extensions.code.', [
      'operation_name',
      'code',
    ]);
  }

  /** A counter in this service's registry. */
  counter<L extends string = never>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    return new Counter<L>({ name, help, labelNames, registers: [this.registry] });
  }

  /** A histogram in this service's registry; `buckets` are upper bounds in the metric's unit (default: DURATION_BUCKETS, seconds). */
  histogram(name: string, help: string, buckets: number[] = DURATION_BUCKETS): Histogram {
    return new Histogram({ name, help, buckets, registers: [this.registry] });
  }

  /** A gauge set from `read()` at each scrape. */
  gauge(name: string, help: string, read: () => number): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      collect() {
        this.set(read());
      },
    });
  }

  /** websocket_connections: sockets admitted and open now (`ServedWebSockets.connections`). */
  observeWebSockets(connections: () => number): void {
    this.gauge('websocket_connections', 'Websocket connections open now.', connections);
  }

  /** graphql_active_subscriptions: GraphQL subscriptions clients hold open now. */
  observeSubscriptions(active: () => number): void {
    this.gauge('graphql_active_subscriptions', 'GraphQL subscriptions open now.', active);
  }

  /** The pool gauges of a TypeORM PostgreSQL data source (its pg Pool, `driver.master`), read at each scrape. */
  observePool(dataSource: DataSource): void {
    const pool = () => (dataSource.driver as unknown as { master?: Pool }).master;
    new Gauge({
      name: 'db_pool_connections',
      help: 'Database connections in the pool, by state: idle, or in_use by a query or transaction.',
      labelNames: ['state'],
      registers: [this.registry],
      collect() {
        const current = pool();
        this.set({ state: 'idle' }, current?.idleCount ?? 0);
        this.set({ state: 'in_use' }, current ? current.totalCount - current.idleCount : 0);
      },
    });
    this.gauge('db_pool_waiting_requests', 'Queries waiting for a free database connection.', () => pool()?.waitingCount ?? 0);
    this.gauge('db_pool_max_connections', 'Most database connections the pool opens.', () => pool()?.options.max ?? 0);
  }

  /** Express middleware counting and timing every request; mount it before any route. */
  httpMiddleware(): express.RequestHandler {
    return (req, res, next) => {
      const stop = this.httpDuration.startTimer();
      // Read now: a handler mounted under a path (app.use('/graphql')) rewrites req.url for its own routing.
      const route = ROUTES.has(req.path) ? req.path : OTHER;
      // 'close' also comes for an answer the client did not wait for, which 'finish' misses.
      res.once('close', () => {
        const labels = { method: req.method, route, status_code: String(res.statusCode) };
        this.httpRequests.inc(labels);
        stop(labels);
      });
      next();
    };
  }

  /** Adds GET /metrics to `app` (Prometheus text format) as `config` says: absent when disabled, behind the token when one is set. */
  serve(app: express.Express): void {
    if (!this.config.enabled) return;
    const { token } = this.config;
    app.get('/metrics', async (req, res) => {
      if (token && !tokenMatches(req.headers.authorization, token)) {
        res.status(401).set('www-authenticate', 'Bearer').type('text/plain').send('Unauthorized\n');
        return;
      }
      res.type(this.registry.contentType).send(await this.registry.metrics());
    });
  }

  /**
   * The Apollo Server plugin of the GraphQL metrics: each request counted
   * and timed by operation name and type, and each error it answers with
   * counted by its `extensions.code` as sent (after masking). A request that
   * never resolved an operation (parse or validation error) has the type
   * "unknown" and the name "other" (or "anonymous"): names of documents
   * that do not even validate take none of the capped names.
   */
  graphqlPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
    return {
      requestDidStart: async () => {
        const stop = this.operationDuration.startTimer();
        return {
          willSendResponse: async ({ operation, operationName, request, response }) => {
            const name = operation ? operationNameLabel(operationName, this.operationNames) : request.operationName ? OTHER : ANONYMOUS;
            const labels = { operation_name: name, operation_type: operation?.operation ?? UNKNOWN };
            this.operations.inc(labels);
            stop(labels);
            const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
            for (const error of errors) {
              const code = typeof error.extensions?.code === 'string' ? error.extensions.code : UNKNOWN;
              this.errors.inc({ operation_name: name, code: this.errorCodes.of(code) });
            }
          },
        };
      },
    };
  }
}
