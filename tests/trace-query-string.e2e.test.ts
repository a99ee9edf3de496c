/**
 * Traces never carry a request's query string: a GET /graphql sends its
 * operation's variables there (argument values, possibly a password), and any
 * other parameter a client adds could be a credential. The http
 * instrumentation records `url.query` on every server span unless told not to
 * (packages/runtime/src/tracing-sdk.ts).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sleep } from '@coursegraph/devkit/timing';
import { startMemoryTracing, type MemoryTracing } from '@coursegraph/devkit/tracing';

let tracing: MemoryTracing;
let server: Server;
beforeAll(async () => {
  tracing = startMemoryTracing();
  server = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await tracing?.stop();
});

test('a server span names the path but keeps no query-string value', async () => {
  const { port } = server.address() as AddressInfo;
  const query = new URLSearchParams({
    query: 'query Q($input: LoginInput!) { x }',
    variables: JSON.stringify({ input: { email: 'a@b.c', password: 'SECRET-IN-VARIABLES' } }),
    token: 'SECRET-IN-TOKEN',
  });
  await (await fetch(`http://127.0.0.1:${port}/graphql?${query}`)).text();
  while (!tracing.spans().some((span) => span.attributes['url.path'] === '/graphql')) await sleep(50);
  const everything = JSON.stringify(tracing.spans().map((span) => [span.name, span.attributes, span.events]));
  expect(everything).toContain('/graphql');
  expect(everything).not.toMatch(/SECRET|a%40b\.c|a@b\.c/);
});
