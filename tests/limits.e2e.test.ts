import { startStack, type Stack } from '@coursegraph/devkit/stack';
import { collect, connect } from '@coursegraph/devkit/ws';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ gateway: { maxQueryDepth: 6, maxQueryCost: 300 } });
});
afterAll(() => stack?.stop());

// courses -> edges -> node -> instructor -> coursesTaught -> edges -> node -> title: depth 8.
const deep = `{ courses { edges { node { instructor { coursesTaught { edges { node { title } } } } } } } }`;
const aliases = (count: number) =>
  `{ ${Array.from({ length: count }, (_v, i) => `c${i}: courses { edges { node { id title seatsAvailable } } }`).join(' ')} }`;

describe('query depth and cost limits at the gateway', () => {
  test('an operation nested deeper than the limit is refused before anything runs', async () => {
    const result = await stack.call(deep, {});
    expect(result.status).toBe(400);
    expect(result.errors).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/depth limit of 6 exceeded/i),
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED', requestId: expect.any(String) },
      }),
    ]);
  });

  test('an operation costlier than the limit is refused; a modest one passes', async () => {
    // Each alias is a page of 20 (the default `first`) times 5 fields: about 100.
    const costly = await stack.call(aliases(4), {});
    expect(costly.errors).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/cost limit of 300 exceeded/i),
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED', requestId: expect.any(String) },
      }),
    ]);
    const modest = await stack.call(aliases(1), {});
    expect(modest.errors).toBeUndefined();
    expect(modest.data).toEqual({ c0: { edges: [] } });
  });

  test('the same limits apply to subscriptions over websockets', async () => {
    const client = connect(stack.gatewayUrl);
    try {
      const watch = collect(
        client,
        `subscription { seatsChanged(courseIds: ["c0c00001-0000-4000-8000-000000000000"]) { course { instructor { coursesTaught { edges { node { title } } } } } } }`,
        {},
      );
      await expect(watch.completed).rejects.toEqual([expect.objectContaining({ message: expect.stringMatching(/depth limit of 6 exceeded/i) })]);
    } finally {
      await client.dispose();
    }
  });
});
