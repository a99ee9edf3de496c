/**
 * How the gateway POSTs to subgraphs: the runtime's keep-alive HTTP client
 * instead of RemoteGraphQLDataSource's default make-fetch-happen, which costs
 * more CPU per call (bench/README.md, "What the measurements changed"), with
 * a time limit per call: what is left of the request's budget (the
 * x-coursegraph-budget-ms header IdentityDataSource sets announces
 * ANNOUNCED_BUDGET_SHARE of it), or `timeoutMs` without one. The answer is
 * handed back as a fetch Response, which is what RemoteGraphQLDataSource reads. A subgraph that cannot be reached, answers
 * too late or answers 408/429/502/503/504 is an outage: the call rejects with a
 * DependencyUnavailableError, which clients see as SERVICE_UNAVAILABLE.
 *
 * Identical queries in flight at the same time (same subgraph, same headers
 * but the budget, so the same identity, same body) share one subgraph
 * request: a popular catalog page under load costs the subgraphs one request
 * per round instead of one per client. Mutations are never shared. A shared
 * request carries the request id of the client request that started it (the
 * HTTP client adds it after the sharing key is made).
 */
import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import { BUDGET_HEADER, createHttpClient, DependencyUnavailableError, type HttpAnswer } from '@coursegraph/runtime';
import { ANNOUNCED_BUDGET_SHARE } from './auth';

type Fetcher = RemoteGraphQLDataSource['fetcher'];

/** The query planner's subgraph operations start with their keyword (`query` or `mutation`), or `{` for an anonymous query. */
const QUERY_BODY = /^\{"query":"(query\b|\{)/;
/**
 * HTTP statuses of a subgraph (or a proxy before it) that is down, overloaded or was paused: 408 is what a
 * subgraph's server answers a request that reached it only after its header timeout (nothing ran), 429 an
 * overloaded one.
 */
const OUTAGE_STATUS = new Set([408, 429, 502, 503, 504]);

/** `maxResponseBytes`: larger subgraph answers fail with RESPONSE_TOO_LARGE (runtime's ResponseTooLargeError). */
export function createSubgraphFetcher(timeoutMs: number, maxResponseBytes?: number): { fetcher: Fetcher; close(): void } {
  const client = createHttpClient(256, maxResponseBytes);
  const inFlight = new Map<string, Promise<HttpAnswer>>();

  function post(url: string, body: string, headers: Record<string, string>): Promise<HttpAnswer> {
    const budget = headers[BUDGET_HEADER] === undefined ? timeoutMs : Number(headers[BUDGET_HEADER]);
    if (!(budget > 0)) return Promise.reject(new DependencyUnavailableError('no time left for a subgraph call'));
    return client.post(new URL(url), body, headers, Math.min(Math.ceil(budget / ANNOUNCED_BUDGET_SHARE), timeoutMs));
  }

  function send(url: string, body: string, headers: Record<string, string>): Promise<HttpAnswer> {
    if (!QUERY_BODY.test(body)) return post(url, body, headers);
    const { [BUDGET_HEADER]: _budget, ...shared } = headers;
    const key = JSON.stringify([url, shared, body]);
    let answer = inFlight.get(key);
    if (!answer) {
      answer = post(url, body, headers);
      inFlight.set(key, answer);
      const done = () => inFlight.delete(key);
      answer.then(done, done);
    }
    return answer;
  }

  const fetcher = async (url: string, init: Parameters<Fetcher>[1] = {}) => {
    if (init.method !== 'POST') throw new Error(`subgraph requests are POSTs, not ${init.method}`);
    const answer = await send(url, String(init.body ?? ''), init.headers ?? {});
    if (OUTAGE_STATUS.has(answer.status)) throw new DependencyUnavailableError(`${new URL(url).host} answered HTTP ${answer.status}`);
    const headers = new Headers();
    for (const [name, value] of Object.entries(answer.headers)) {
      for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, one);
    }
    return new Response(answer.body, { status: answer.status, headers });
  };
  return { fetcher: fetcher as Fetcher, close: () => client.close() };
}
