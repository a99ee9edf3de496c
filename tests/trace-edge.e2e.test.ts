/**
 * The gateway is where a trace starts: a client's `traceparent` is not
 * believed there (`startTracing(..., { edge: true })`, the InjectOnlyPropagator
 * of packages/runtime/src/tracing-sdk.ts), so a client can neither choose the
 * trace id its request is recorded under nor keep its request out of traces
 * with an unsampled (`-00`) parent. Behind it, a subgraph follows the
 * gateway's context (tests/traces.e2e.test.ts, as service processes).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sleep } from '@coursegraph/devkit/timing';
import { startMemoryTracing, type MemoryTracing } from '@coursegraph/devkit/tracing';

const CLIENT_TRACE_ID = 'f'.repeat(32);
const parent = (flags: '00' | '01') => `00-${CLIENT_TRACE_ID}-${'a'.repeat(16)}-${flags}`;

let server: Server;
beforeAll(async () => {
  server = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(() => new Promise((resolve) => server?.close(resolve)));

/** The trace ids of the server spans recorded for two requests to /graphql?n, one with a sampled and one with an unsampled client parent. */
async function serverSpanTraceIds(tracing: MemoryTracing): Promise<string[]> {
  const { port } = server.address() as AddressInfo;
  for (const flags of ['01', '00'] as const)
    await (await fetch(`http://127.0.0.1:${port}/graphql?${flags}`, { headers: { traceparent: parent(flags) } })).text();
  await sleep(200);
  return tracing
    .spans()
    .filter((span) => span.attributes['url.path'] === '/graphql')
    .map((span) => span.spanContext().traceId);
}

test('at the edge, each request gets a trace of its own, whatever traceparent the client sends', async () => {
  const tracing = startMemoryTracing('coursegraph-gateway', { edge: true });
  try {
    const traceIds = await serverSpanTraceIds(tracing);
    expect(traceIds).toHaveLength(2);
    expect(traceIds).not.toContain(CLIENT_TRACE_ID);
    expect(new Set(traceIds).size).toBe(2);
  } finally {
    await tracing.stop();
  }
});
