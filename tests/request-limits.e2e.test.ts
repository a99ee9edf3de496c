import { startStack, type Stack } from '@coursegraph/devkit/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

const post = (url: string, body: string) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe('requests that never reach GraphQL get JSON errors, not HTML or stack traces', () => {
  const urls = () => [stack.gatewayUrl, stack.courseUrl, stack.orderUrl];

  test('malformed JSON is a 400 BAD_REQUEST', async () => {
    for (const url of urls()) {
      const response = await post(url, '{"query": ');
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/application\/json/);
      expect(await response.json()).toEqual({
        errors: [{ message: 'Malformed request body.', extensions: { code: 'BAD_REQUEST', requestId: expect.any(String) } }],
      });
    }
  });

  test('a body over 100 kB is a 413', async () => {
    for (const url of urls()) {
      const response = await post(url, JSON.stringify({ query: `{ __typename } # ${'x'.repeat(150_000)}` }));
      expect(response.status).toBe(413);
      const body = (await response.json()) as { errors: { message: string }[] };
      expect(body.errors[0]!.message).toBe('Request body is larger than 100kb.');
    }
  });
});
