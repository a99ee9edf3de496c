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
import { GraphQLError } from 'graphql';
import { DependencyUnavailableError } from './errors';
import { currentRequestId, REQUEST_ID_HEADER } from './request-id';

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * An answer longer than the client's `maxResponseBytes`: reading stopped at
 * the limit and the socket was dropped. A GraphQL error with the
 * client-facing code RESPONSE_TOO_LARGE, so that the gateway hands it to its
 * client as it is ("ask for less"), not as an outage or an internal error.
 */
export class ResponseTooLargeError extends GraphQLError {
  constructor(limit: number) {
    super(`The answer would be larger than ${limit} bytes; ask for fewer or smaller pages.`, { extensions: { code: 'RESPONSE_TOO_LARGE' } });
  }
}

export interface HttpClient {
  /**
   * POSTs `body`; rejects with a DependencyUnavailableError (the cause
   * attached) on transport errors and when no complete answer arrived within
   * `timeoutMs` (the call may still have taken effect at the other end), and
   * with ResponseTooLargeError as soon as the answer's body exceeds the
   * client's `maxResponseBytes`. Sends the current request id
   * (`X-Request-Id`, request-id.ts) unless `headers` has one.
   */
  post(url: URL, body: string, headers: Record<string, string>, timeoutMs: number): Promise<HttpAnswer>;
  close(): void;
}

/** Idle sockets are dropped after this, well before our servers' 65 s keep-alive, so a reused socket is never one the server is closing. */
const IDLE_SOCKET_MS = 30_000;

/** Largest answer body read by default (bytes): far above any answer our services give, far below what would strain memory. */
export const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

/** A client with at most `maxSockets` sockets per host that reads at most `maxResponseBytes` of any answer body. */
export function createHttpClient(maxSockets = 64, maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES): HttpClient {
  const agent = new http.Agent({ keepAlive: true, maxSockets, timeout: IDLE_SOCKET_MS });
  return {
    post: (url, body, headers, timeoutMs) =>
      new Promise((resolve, reject) => {
        const requestId = currentRequestId();
        const request = http.request(url, {
          method: 'POST',
          agent,
          headers: { ...(requestId ? { [REQUEST_ID_HEADER]: requestId } : {}), ...headers, 'content-length': Buffer.byteLength(body) },
        });
        const timer = setTimeout(() => request.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        const fail = (error: Error) => {
          clearTimeout(timer);
          // A too-large answer is the client's to fix ("ask for less"), not an outage.
          reject(
            error instanceof ResponseTooLargeError
              ? error
              : new DependencyUnavailableError(`${url.host} did not answer: ${error.message}`, { cause: error }),
          );
        };
        request.on('error', fail);
        request.on('response', (response) => {
          const declared = Number(response.headers['content-length']);
          if (declared > maxResponseBytes) {
            response.destroy();
            return fail(new ResponseTooLargeError(maxResponseBytes));
          }
          const chunks: Buffer[] = [];
          let received = 0;
          response.on('data', (chunk: Buffer) => {
            received += chunk.length;
            // Stop reading at once: the rest of a huge answer is never buffered.
            if (received > maxResponseBytes) {
              request.destroy();
              return fail(new ResponseTooLargeError(maxResponseBytes));
            }
            chunks.push(chunk);
          });
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
