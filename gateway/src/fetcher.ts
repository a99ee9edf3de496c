/**
 * How the gateway POSTs to subgraphs: the runtime's keep-alive HTTP client
 * instead of RemoteGraphQLDataSource's default make-fetch-happen, which costs
 * more CPU per call (bench/README.md, "What the measurements changed"), with
 * a time limit per call. The answer is handed back as a fetch Response,
 * which is what RemoteGraphQLDataSource reads.
 *
 * Identical queries in flight at the same time (same subgraph, same headers,
 * so the same identity, same body) share one subgraph request: a popular
 * catalog page under load costs the subgraphs one request per round instead
 * of one per client. Mutations are never shared.
 */
import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import { createHttpClient, type HttpAnswer } from '@coursegraph/runtime';

type Fetcher = RemoteGraphQLDataSource['fetcher'];

/** The query planner's subgraph operations start with their keyword (`query` or `mutation`), or `{` for an anonymous query. */
const QUERY_BODY = /^\{"query":"(query\b|\{)/;

/** `maxResponseBytes`: larger subgraph answers fail with RESPONSE_TOO_LARGE (runtime's ResponseTooLargeError). */
export function createSubgraphFetcher(timeoutMs: number, maxResponseBytes?: number): { fetcher: Fetcher; close(): void } {
  const client = createHttpClient(256, maxResponseBytes);
  const inFlight = new Map<string, Promise<HttpAnswer>>();

  function send(url: string, body: string, headers: Record<string, string>): Promise<HttpAnswer> {
    if (!QUERY_BODY.test(body)) return client.post(new URL(url), body, headers, timeoutMs);
    const key = JSON.stringify([url, headers, body]);
    let answer = inFlight.get(key);
    if (!answer) {
      answer = client.post(new URL(url), body, headers, timeoutMs);
      inFlight.set(key, answer);
      const done = () => inFlight.delete(key);
      answer.then(done, done);
    }
    return answer;
  }

  const fetcher = async (url: string, init: Parameters<Fetcher>[1] = {}) => {
    if (init.method !== 'POST') throw new Error(`subgraph requests are POSTs, not ${init.method}`);
    const answer = await send(url, String(init.body ?? ''), init.headers ?? {});
    const headers = new Headers();
    for (const [name, value] of Object.entries(answer.headers)) {
      for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, one);
    }
    return new Response(answer.body, { status: answer.status, headers });
  };
  return { fetcher: fetcher as Fetcher, close: () => client.close() };
}
