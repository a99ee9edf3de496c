/**
 * metrics.ts: the label cap, the GraphQL plugin's labels through a real
 * Apollo Server, GET /metrics as configured, and registries that do not
 * collide when several services share a process (the pool gauges are tested
 * on a real pool in tests/metrics.e2e.test.ts).
 */
import http from 'node:http';
import { ApolloServer } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { createHttpApp, LabelCap, listen, ServiceMetrics, type MetricsConfig } from '../src';

const ON: MetricsConfig = { enabled: true, token: null };

/** The values of one metric as label sets, default labels left out. */
async function values(metrics: ServiceMetrics, name: string): Promise<Record<string, string | number>[]> {
  return (await metrics.registry.getSingleMetric(name)!.get()).values.map(({ labels, value }) => ({ ...labels, value }));
}

describe('LabelCap', () => {
  test('keeps the first `limit` distinct values, makes later new ones "other", and keeps a kept one', () => {
    const cap = new LabelCap(2);
    expect(['a', 'b', 'c', 'a', 'b', 'd'].map((value) => cap.of(value))).toEqual(['a', 'b', 'other', 'a', 'b', 'other']);
  });
});

describe('graphqlPlugin', () => {
  const metrics = new ServiceMetrics('unit', ON, { operationNames: 2, errorCodes: 1 });
  const server = new ApolloServer({
    typeDefs: 'type Query { ok: Int, fail: Int, refuse: Int }',
    resolvers: {
      Query: {
        ok: () => 1,
        fail: () => {
          throw new GraphQLError('no', { extensions: { code: 'FIRST_CODE' } });
        },
        refuse: () => {
          throw new GraphQLError('no', { extensions: { code: 'SECOND_CODE' } });
        },
      },
    },
    plugins: [metrics.graphqlPlugin()],
  });
  beforeAll(() => server.start());
  afterAll(() => server.stop());

  test('caps operation names and error codes; unnamed operations are "anonymous", unresolved ones "unknown"', async () => {
    // Documents that do not parse, sent first: type "unknown", name "other", and they take none of the 2 capped names.
    await server.executeOperation({ query: 'query E {', operationName: 'E' });
    await server.executeOperation({ query: '{', operationName: 'drop table;' });
    for (const query of [
      'query A { ok }',
      'query B { ok }',
      'query C { ok }',
      'query A { ok }',
      '{ ok }',
      'query D { fail }',
      'query A { refuse }',
    ]) {
      await server.executeOperation({ query });
    }
    expect(await values(metrics, 'graphql_operations_total')).toEqual(
      expect.arrayContaining([
        { operation_name: 'A', operation_type: 'query', value: 3 },
        { operation_name: 'B', operation_type: 'query', value: 1 },
        { operation_name: 'other', operation_type: 'query', value: 2 },
        { operation_name: 'anonymous', operation_type: 'query', value: 1 },
        { operation_name: 'other', operation_type: 'unknown', value: 2 },
      ]),
    );
    expect(await values(metrics, 'graphql_operations_total')).toHaveLength(5);
    expect(await values(metrics, 'graphql_errors_total')).toEqual([
      { operation_name: 'other', code: 'GRAPHQL_PARSE_FAILED', value: 2 },
      { operation_name: 'other', code: 'other', value: 1 },
      { operation_name: 'A', code: 'other', value: 1 },
    ]);
    const durations = (await values(metrics, 'graphql_operation_duration_seconds')).filter(
      (sample) => sample.le === '+Inf' && sample.operation_name === 'A',
    );
    expect(durations).toEqual([{ operation_name: 'A', operation_type: 'query', le: '+Inf', value: 3 }]);
  });
});

describe('GET /metrics', () => {
  const servers: http.Server[] = [];
  afterAll(() => Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve)))));

  async function serve(config: MetricsConfig): Promise<string> {
    const server = http.createServer(createHttpApp('unit', [], undefined, new ServiceMetrics('unit', config)));
    servers.push(server);
    return `${(await listen(server, 0, '127.0.0.1')).url}/metrics`;
  }

  test('answers Prometheus text with the service label, counting requests by route', async () => {
    const url = await serve(ON);
    await fetch(url.replace('/metrics', '/health'));
    await fetch(url.replace('/metrics', '/users/someone?x=1'));
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await response.text();
    expect(text).toContain('http_requests_total{method="GET",route="/health",status_code="200",service="unit"} 1');
    // A path outside the known routes is "other", so no client can make a series of it.
    expect(text).toContain('http_requests_total{method="GET",route="other",status_code="404",service="unit"} 1');
    expect(text).not.toContain('someone');
  });

  test('with a token, only `Authorization: Bearer <token>` gets it', async () => {
    const url = await serve({ enabled: true, token: 'scrape-token' });
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: 'Bearer scrape-token' } })).status).toBe(200);
    // The scheme in any letter case (RFC 9110); no credentials at all is no match.
    expect((await fetch(url, { headers: { authorization: 'bearer scrape-token' } })).status).toBe(200);
    expect((await fetch(url, { headers: { authorization: 'Bearer ' } })).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: 'scrape-token' } })).status).toBe(401);
  });

  test('turned off, there is no such route', async () => {
    expect((await fetch(await serve({ enabled: false, token: null }))).status).toBe(404);
  });
});

test('services in one process keep their own registries', async () => {
  const [a, b] = [new ServiceMetrics('a', ON), new ServiceMetrics('b', ON)];
  a.counter('same_name_total', 'The same name in two registries.').inc(2);
  b.counter('same_name_total', 'The same name in two registries.').inc(5);
  expect(await values(a, 'same_name_total')).toEqual([{ value: 2 }]);
  expect(await values(b, 'same_name_total')).toEqual([{ value: 5 }]);
  expect(await a.registry.metrics()).toContain('same_name_total{service="a"} 2');
});
