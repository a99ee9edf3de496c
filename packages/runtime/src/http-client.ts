/**
 * JSON POSTs between our own services (gateway -> subgraphs, order ->
 * course) on node:http with keep-alive sockets. Every order makes three of
 * them, so their cost shows in the order throughput: make-fetch-happen (the
 * gateway's default fetcher) and Node's fetch cost several times the CPU per
 * call, and importing the undici package would take over Node 20's global
 * fetch dispatcher (nodejs/undici#5500). See bench/README.md.
 */
import http from 'node:http';

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface HttpClient {
  /** POSTs `body`; rejects on transport errors and when no complete answer arrived within `timeoutMs`. */
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
          reject(error);
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
