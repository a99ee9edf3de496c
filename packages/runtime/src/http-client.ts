/**
 * JSON POSTs between our own services (gateway -> subgraphs, order ->
 * course) on node:http with keep-alive sockets. Every order makes three of
 * them, so their cost shows in the order throughput: the default clients
 * (fetch in the order subgraph, make-fetch-happen in the gateway) cost
 * measurably more CPU per order (bench/README.md, "What the measurements
 * changed"). Not the undici package: importing it takes over Node 20's
 * global fetch dispatcher and breaks fetch (nodejs/undici#5500).
 */
import http from 'node:http';
import { DependencyUnavailableError } from './errors';

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface HttpClient {
  /**
   * POSTs `body`; rejects with a DependencyUnavailableError (the cause
   * attached) on transport errors and when no complete answer arrived within
   * `timeoutMs`. The call may still have taken effect at the other end.
   */
  post(url: URL, body: string, headers: Record<string, string>, timeoutMs: number): Promise<HttpAnswer>;
  close(): void;
}

/** Idle sockets are dropped after this, well before our servers' 65 s keep-alive, so a reused socket is never one the server is closing. */
const IDLE_SOCKET_MS = 30_000;

export function createHttpClient(maxSockets = 64): HttpClient {
  const agent = new http.Agent({ keepAlive: true, maxSockets, timeout: IDLE_SOCKET_MS });
  return {
    post: (url, body, headers, timeoutMs) =>
      new Promise((resolve, reject) => {
        const request = http.request(url, {
          method: 'POST',
          agent,
          headers: { ...headers, 'content-length': Buffer.byteLength(body) },
        });
        const timer = setTimeout(() => request.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        const fail = (error: Error) => {
          clearTimeout(timer);
          reject(new DependencyUnavailableError(`${url.host} did not answer: ${error.message}`, { cause: error }));
        };
        request.on('error', fail);
        request.on('response', (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            clearTimeout(timer);
            resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') });
          });
          response.on('error', fail);
          response.on('close', () => response.complete || fail(new Error('the answer was cut off')));
        });
        request.end(body);
      }),
    close: () => agent.destroy(),
  };
}
