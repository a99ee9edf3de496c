/**
 * How the gateway POSTs to subgraphs: the runtime's keep-alive HTTP client
 * instead of RemoteGraphQLDataSource's default make-fetch-happen, which costs
 * several times the CPU per call (bench/README.md), with a time limit per
 * call. The answer is handed back as a fetch Response, which is what
 * RemoteGraphQLDataSource reads.
 */
import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import { createHttpClient } from '@coursegraph/runtime';

type Fetcher = RemoteGraphQLDataSource['fetcher'];

export function createSubgraphFetcher(timeoutMs: number): { fetcher: Fetcher; close(): void } {
  const client = createHttpClient(256);
  const fetcher = async (url: string, init: Parameters<Fetcher>[1] = {}) => {
    if (init.method !== 'POST') throw new Error(`subgraph requests are POSTs, not ${init.method}`);
    const answer = await client.post(new URL(url), String(init.body ?? ''), init.headers ?? {}, timeoutMs);
    const headers = new Headers();
    for (const [name, value] of Object.entries(answer.headers)) {
      for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, one);
    }
    return new Response(answer.body, { status: answer.status, headers });
  };
  return { fetcher: fetcher as Fetcher, close: () => client.close() };
}
