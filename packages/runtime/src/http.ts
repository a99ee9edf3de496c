/** The HTTP shell every service shares: express, /health, /ready, listen and stop. */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import express from 'express';
import type { Logger } from './log';
import { requestIdExtension, requestIdMiddleware } from './request-id';
import type { ServiceMetrics } from './metrics';

export interface HealthCheck {
  name: string;
  check: () => Promise<void>;
}

const CHECK_TIMEOUT_MS = 2_000;

async function runCheck({ name, check }: HealthCheck): Promise<[string, string]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([check(), timeout]);
    return [name, 'ok'];
  } catch {
    return [name, 'unavailable'];
  } finally {
    clearTimeout(timer);
  }
}

/**
 * An express app answering GET /health (the process is alive, with `details`
 * such as open subscriptions) and GET /ready (every dependency answers; 503
 * otherwise), both as JSON, and, given `metrics`, GET /metrics, with every
 * request counted (metrics.ts).
 */
export function createHttpApp(service: string, checks: HealthCheck[], details: () => object = () => ({}), metrics?: ServiceMetrics): express.Express {
  const app = express();
  app.disable('x-powered-by');
  if (metrics) app.use(metrics.httpMiddleware());
  metrics?.serve(app);
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', service, ...details() });
  });
  app.get('/ready', async (_req, res) => {
    const results = Object.fromEntries(await Promise.all(checks.map(runCheck)));
    const ready = Object.values(results).every((result) => result === 'ok');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', service, checks: results });
  });
  return app;
}

/**
 * Mounts the GraphQL handler behind a JSON body parser with a size limit, and
 * answers what never reaches GraphQL (malformed JSON, a body over the limit)
 * with a GraphQL-shaped JSON error instead of express's HTML page and stack.
 * Each request gets its request id first (request-id.ts: `X-Request-Id` in,
 * out, and on every error); with `log`, each answered request is a debug line
 * (method, status, milliseconds).
 */
export function mountGraphQL(app: express.Express, handler: express.RequestHandler, bodyLimit: string | number = '100kb', log?: Logger): void {
  const shownLimit = typeof bodyLimit === 'number' && bodyLimit % 1024 === 0 ? `${bodyLimit / 1024}kb` : String(bodyLimit);
  const logAnswer =
    (logger: Logger): express.RequestHandler =>
    (req, res, next) => {
      const started = performance.now();
      // Emitted in the request's async context (the answer was written in it), so the line has its request id.
      res.once('finish', () => logger.debug('request', { method: req.method, status: res.statusCode, ms: Math.round(performance.now() - started) }));
      next();
    };
  app.use('/graphql', requestIdMiddleware, ...(log ? [logAnswer(log)] : []), express.json({ limit: bodyLimit }), handler);
  app.use((error: { status?: number; type?: string }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const tooLarge = error.type === 'entity.too.large';
    const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 500;
    const message = tooLarge ? `Request body is larger than ${shownLimit}.` : status < 500 ? 'Malformed request body.' : 'Internal server error';
    const code = status < 500 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR';
    res.status(status).json({ errors: [{ message, extensions: { code, ...requestIdExtension() } }] });
  });
}

export interface RunningServer {
  /** Base URL, for example http://127.0.0.1:4001 */
  url: string;
  port: number;
  /** Drains and closes the server and what it owns; a second call returns the first call's promise. */
  stop(): Promise<void>;
}

/** What a server lets one client hold: how long it may take to send a request, and how many sockets all clients may have open. */
export interface ServerLimits {
  /** Milliseconds from a request's first byte until its last header; a client trickling headers is answered 408 and cut. */
  headersTimeoutMs: number;
  /**
   * Milliseconds to receive the whole request, headers and body (Node's
   * `requestTimeout`: it stops counting once the request is in, so a slow
   * answer, such as an order saga within its deadline, is never cut by it).
   */
  requestTimeoutMs: number;
  /**
   * Milliseconds a socket may go without a byte moving either way while a
   * request is open (Node's `timeout`), after which it is destroyed: a client
   * that never reads its answer cannot hold a socket and the answer's memory.
   * It must exceed the longest legitimate wait with nothing moving (a request
   * answered at the end of its time budget). Idle keep-alive sockets follow
   * `keepAliveTimeout` instead, and an upgraded websocket has none (ws turns
   * it off; its own pings find dead peers).
   */
  socketTimeoutMs: number;
  /** Sockets open at once; past it new connections are closed at once (Node's `maxConnections`). */
  maxConnections: number;
  /**
   * Sockets one client address may hold open at once, so that one client
   * cannot take all `maxConnections`; 0 for no such limit (the subgraphs,
   * whose only callers are our own services, or a server behind a proxy that
   * limits per client itself).
   */
  maxConnectionsPerAddress: number;
}

/** Limits for servers whose callers are our own services (the subgraphs); the gateway's come from its configuration. */
export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  // Beyond the gateway's largest SUBGRAPH_TIMEOUT_MS, the longest a subgraph answer may legitimately take.
  socketTimeoutMs: 610_000,
  maxConnections: 2_048,
  maxConnectionsPerAddress: 0,
};

/** Closes a new connection at once when its address already holds `limit` (0: no limit). */
function limitConnectionsPerAddress(server: http.Server, limit: number): void {
  if (limit <= 0) return;
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    const count = open.get(address) ?? 0;
    if (count >= limit) {
      socket.destroy();
      return;
    }
    open.set(address, count + 1);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    });
  });
}

/**
 * Starts `server` on `host:port` (0 for a free port) with `limits`, and
 * resolves with the URL it answers on.
 */
export async function listen(
  server: http.Server,
  port: number,
  host: string,
  limits: ServerLimits = DEFAULT_SERVER_LIMITS,
): Promise<{ url: string; port: number }> {
  // Keep idle connections longer than the callers' keep-alive agents do, so a
  // caller never reuses a socket this server is closing at that moment (the
  // gateway saw "socket hang up" after 5 s idle, Node's default). Idle time
  // between requests does not count against headersTimeout.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.timeout = limits.socketTimeoutMs;
  server.maxConnections = limits.maxConnections;
  limitConnectionsPerAddress(server, limits.maxConnectionsPerAddress);
  // Node checks both timeouts on this interval (default 30 s), so a slow client would otherwise keep its socket up to 30 s longer.
  // It is read when the server starts listening; @types/node only declares it as a createServer option.
  (server as http.Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = Math.min(1_000, limits.headersTimeoutMs);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return { url: `http://${shownHost}:${address.port}`, port: address.port };
}
