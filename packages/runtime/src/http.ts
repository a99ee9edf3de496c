/** The HTTP shell every service shares: express, /health, /ready, listen and stop. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';

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
 * otherwise), both as JSON.
 */
export function createHttpApp(service: string, checks: HealthCheck[], details: () => object = () => ({})): express.Express {
  const app = express();
  app.disable('x-powered-by');
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
 */
export function mountGraphQL(app: express.Express, handler: express.RequestHandler, bodyLimit = '100kb'): void {
  app.use('/graphql', express.json({ limit: bodyLimit }), handler);
  app.use((error: { status?: number; type?: string }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const tooLarge = error.type === 'entity.too.large';
    const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 500;
    const message = tooLarge ? `Request body is larger than ${bodyLimit}.` : status < 500 ? 'Malformed request body.' : 'Internal server error';
    res.status(status).json({ errors: [{ message, extensions: { code: status < 500 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR' } }] });
  });
}

export interface RunningServer {
  /** Base URL, for example http://127.0.0.1:4001 */
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function listen(server: http.Server, port: number, host: string): Promise<{ url: string; port: number }> {
  // Keep idle connections longer than the callers' keep-alive agents do, so a
  // caller never reuses a socket this server is closing at that moment (the
  // gateway saw "socket hang up" after 5 s idle, Node's default).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
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
