/**
 * Hostile interactions with the gateway's websocket (graphql-ws on /graphql):
 * protocol violations, oversized and malformed messages, bad variables and
 * documents, operations that belong on HTTP, and the per-connection and
 * per-address limits. Closes are reported as `CLOSE_<code>` (README, "Live
 * seat counts", lists them). Every socket a case opens is terminated when the
 * case ends, and each case is cut off after CASE_TIMEOUT_MS.
 */
import { randomUUID } from 'node:crypto';
import { signUserToken } from '@coursegraph/runtime';
import { SECRETS, type Stack } from '@coursegraph/devkit/stack';
import { rawSession, type RawSocket } from '@coursegraph/devkit/ws';
import { codesIn } from './send';
import type { AbuseCase, AbuseOutcome } from './types';

const CASE_TIMEOUT_MS = 20_000;
/** The stack's per-address websocket cap (packages/devkit/src/stack.ts). */
const PER_ADDRESS_CAP = 250;
const SEATS = 'subscription ($courseIds: [ID!]!) { seatsChanged(courseIds: $courseIds) { version } }';

/** Runs raw sockets against the gateway and reports the codes of every message and `CLOSE_<code>` of every close by the server. */
async function session(stack: Stack, script: (open: (protocol?: string) => Promise<RawSocket>) => Promise<void>): Promise<AbuseOutcome> {
  const records = await rawSession(stack.gatewayUrl, script, CASE_TIMEOUT_MS);
  const codes: string[] = [];
  const texts: string[] = [];
  let responseBytes = 0;
  for (const record of records) {
    for (const message of record.messages) {
      texts.push(message);
      try {
        codesIn(JSON.parse(message), codes);
      } catch {
        // Not JSON: no codes, the text is still checked for leaks.
      }
    }
    responseBytes += record.bytes;
    if (record.closeCode !== null) codes.push(`CLOSE_${record.closeCode}`);
  }
  return { codes, responseBytes, text: texts.join('\n') };
}

/** Opens an acknowledged connection, sends one subscribe and waits for its first answer (or the close). */
const subscribeOnce = (stack: Stack, payload: Record<string, unknown>, init?: Record<string, unknown>) =>
  session(stack, async (open) => {
    const socket = await open();
    await socket.init(init);
    socket.send({ id: '1', type: 'subscribe', payload });
    await socket.next();
  });

/** Opens a connection, sends the given messages as they are, and waits for the server to close it. */
const untilClosed = (stack: Stack, messages: (object | string)[]) =>
  session(stack, async (open) => {
    const socket = await open();
    for (const message of messages) socket.send(message);
    await socket.waitClose(CASE_TIMEOUT_MS - 2_000);
  });

export const websocketCases: AbuseCase[] = [
  {
    name: 'a websocket message over the size limit (a 200 kB document)',
    send: ({ stack, publishedCourseId }) =>
      untilClosed(stack, [
        { type: 'connection_init' },
        { id: '1', type: 'subscribe', payload: { query: `${SEATS}${' '.repeat(200 * 1024)}`, variables: { courseIds: [publishedCourseId] } } },
      ]),
    expectCode: 'CLOSE_1009',
  },
  {
    name: 'a subscribe message carrying 2 MB of variables the operation does not use',
    send: ({ stack, publishedCourseId }) =>
      untilClosed(stack, [
        { type: 'connection_init' },
        { id: '1', type: 'subscribe', payload: { query: SEATS, variables: { courseIds: [publishedCourseId], unused: 'x'.repeat(2 * 1024 * 1024) } } },
      ]),
    expectCode: 'CLOSE_1009',
  },
  {
    name: 'a websocket subscription without its required variables',
    send: ({ stack }) => subscribeOnce(stack, { query: SEATS }),
    expectCode: 'BAD_USER_INPUT',
  },
  {
    name: 'a websocket subscription with variables of the wrong type',
    send: ({ stack }) => subscribeOnce(stack, { query: SEATS, variables: { courseIds: [{ nested: ['not', 'an', 'id'] }] } }),
    expectCode: 'BAD_USER_INPUT',
  },
  {
    name: 'a websocket subscription document that does not parse',
    send: ({ stack }) => subscribeOnce(stack, { query: 'subscription { seatsChanged(courseIds: [' }),
    expectCode: 'GRAPHQL_PARSE_FAILED',
  },
  {
    name: 'a websocket subscription nested deeper than the depth limit',
    send: ({ stack, publishedCourseId }) =>
      subscribeOnce(stack, {
        query: `subscription ($courseIds: [ID!]!) { seatsChanged(courseIds: $courseIds) { course { ${'instructor { coursesTaught(first: 1) { edges { node { '.repeat(3)}id${' } } } }'.repeat(3)} } } }`,
        variables: { courseIds: [publishedCourseId] },
      }),
    expectCode: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'a websocket subscription whose page sizes, passed as variables, escape no cost limit',
    send: ({ stack, publishedCourseId }) =>
      subscribeOnce(stack, {
        query: `subscription ($ids: [ID!]!, $n: Int) { seatsChanged(courseIds: $ids) { course { instructor { coursesTaught(first: $n) { edges { node { instructor { coursesTaught(first: $n) { edges { node { id title } } } } } } } } } } }`,
        variables: { ids: [publishedCourseId], n: 100 },
      }),
    expectCode: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'a query sent over the websocket',
    send: ({ stack }) => subscribeOnce(stack, { query: '{ courses(first: 1) { edges { cursor } } }' }),
    expectCode: 'BAD_REQUEST',
  },
  {
    name: 'a mutation (placeOrder) sent over the websocket by a signed-in student',
    send: ({ stack, student, publishedCourseId }) =>
      subscribeOnce(
        stack,
        {
          query: 'mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id } } }',
          variables: {
            input: { courseId: publishedCourseId, expectedPrice: { amount: 1_000, currency: 'USD' }, idempotencyKey: `ws-${randomUUID()}` },
          },
        },
        { authorization: `Bearer ${stack.token(student)}` },
      ),
    expectCode: 'BAD_REQUEST',
  },
  {
    name: 'a websocket subscription naming an operation the document does not have',
    send: ({ stack, publishedCourseId }) =>
      subscribeOnce(stack, {
        query: `subscription Watch ${SEATS.slice('subscription '.length)}`,
        operationName: 'Other',
        variables: { courseIds: [publishedCourseId] },
      }),
    expectCode: 'OPERATION_RESOLUTION_FAILURE',
  },
  {
    name: 'a draft course watched anonymously over the websocket',
    send: ({ stack, draftCourseId }) => subscribeOnce(stack, { query: SEATS, variables: { courseIds: [draftCourseId] } }),
    expectCode: 'BAD_USER_INPUT',
  },
  {
    name: 'more subscriptions on one websocket connection than allowed',
    send: ({ stack, publishedCourseId }) =>
      session(stack, async (open) => {
        const socket = await open();
        await socket.init();
        // The stack allows 20 per connection; the 21st is refused.
        for (let id = 1; id <= 21; id++)
          socket.send({ id: String(id), type: 'subscribe', payload: { query: SEATS, variables: { courseIds: [publishedCourseId] } } });
        for (let answers = 0; answers < 21; answers++) if (!(await socket.next())) break;
      }),
    expectCode: 'BAD_REQUEST',
  },
  {
    name: 'a websocket connection that never sends connection_init',
    send: ({ stack }) => untilClosed(stack, []),
    expectCode: 'CLOSE_4408',
  },
  {
    name: 'a websocket subscribe before connection_init',
    send: ({ stack, publishedCourseId }) =>
      untilClosed(stack, [{ id: '1', type: 'subscribe', payload: { query: SEATS, variables: { courseIds: [publishedCourseId] } } }]),
    expectCode: 'CLOSE_4401',
  },
  {
    name: 'a second connection_init on one websocket',
    send: ({ stack }) => untilClosed(stack, [{ type: 'connection_init' }, { type: 'connection_init' }]),
    expectCode: 'CLOSE_4429',
  },
  {
    name: 'a websocket message that is not JSON',
    send: ({ stack }) => untilClosed(stack, ['{"type": "connection_init"']),
    expectCode: 'CLOSE_4400',
  },
  {
    name: 'a websocket subscribe message whose query is not a string',
    send: ({ stack }) => untilClosed(stack, [{ type: 'connection_init' }, { id: '1', type: 'subscribe', payload: { query: { not: 'a string' } } }]),
    expectCode: 'CLOSE_4400',
  },
  {
    name: 'a websocket client sending a message only a server sends (next)',
    send: ({ stack }) => untilClosed(stack, [{ type: 'connection_init' }, { id: '1', type: 'next', payload: { data: { seatsChanged: null } } }]),
    expectCode: 'CLOSE_4400',
  },
  {
    name: 'a websocket subscription watching more courses than allowed',
    send: ({ stack }) => subscribeOnce(stack, { query: SEATS, variables: { courseIds: Array.from({ length: 51 }, () => randomUUID()) } }),
    expectCode: 'BAD_USER_INPUT',
  },
  {
    name: 'a forged bearer token at connection_init',
    send: ({ stack, student }) =>
      untilClosed(stack, [{ type: 'connection_init', payload: { authorization: `Bearer ${stack.token(student).slice(0, -4)}AAAA` } }]),
    expectCode: 'CLOSE_4403',
  },
  {
    name: 'an expired bearer token at connection_init',
    send: ({ stack, student }) =>
      untilClosed(stack, [{ type: 'connection_init', payload: { authorization: `Bearer ${signUserToken(SECRETS.jwtSecret, student, -60)}` } }]),
    expectCode: 'CLOSE_4403',
  },
  {
    name: 'a websocket subscription id reused while its subscription runs',
    send: ({ stack, publishedCourseId }) =>
      session(stack, async (open) => {
        const socket = await open();
        await socket.init();
        const subscribe = { id: 'same', type: 'subscribe', payload: { query: SEATS, variables: { courseIds: [publishedCourseId] } } };
        socket.send(subscribe);
        await socket.next(); // its first event: the subscription runs
        socket.send(subscribe);
        await socket.waitClose(CASE_TIMEOUT_MS - 5_000);
      }),
    expectCode: 'CLOSE_4409',
  },
  {
    name: 'a websocket subscription whose root field carries @include(if: $v)',
    send: ({ stack, publishedCourseId }) =>
      subscribeOnce(stack, {
        query: 'subscription ($ids: [ID!]!, $v: Boolean!) { seatsChanged(courseIds: $ids) @include(if: $v) { courseId } }',
        variables: { ids: [publishedCourseId], v: true },
      }),
    expectCode: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'a websocket subscription whose root field carries @skip(if: true)',
    send: ({ stack, publishedCourseId }) =>
      subscribeOnce(stack, {
        query: 'subscription ($ids: [ID!]!) { seatsChanged(courseIds: $ids) @skip(if: true) { courseId } }',
        variables: { ids: [publishedCourseId] },
      }),
    expectCode: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'a websocket client reusing subscription ids (subscribe, complete, subscribe) past the per-connection cap',
    send: ({ stack, publishedCourseId }) =>
      session(stack, async (open) => {
        const socket = await open();
        await socket.init();
        // The stack allows 20 per connection: of 25 ids each subscribed twice, at least 5 are refused.
        for (let i = 0; i < 25; i++) {
          const subscribe = (alias: string) => ({
            id: `r${i}`,
            type: 'subscribe',
            payload: {
              query: `subscription ($ids: [ID!]!) { ${alias}: seatsChanged(courseIds: $ids) { courseId } }`,
              variables: { ids: [publishedCourseId] },
            },
          });
          socket.send(subscribe(`first${i}`));
          socket.send({ id: `r${i}`, type: 'complete' });
          socket.send(subscribe(`second${i}`));
        }
        for (let refused = 0; refused < 5;) {
          const message = await socket.next();
          if (!message) break;
          if (message.type === 'error') refused++;
        }
      }),
    expectCode: 'BAD_REQUEST',
  },
  {
    name: 'more websocket connections from one address than the per-address cap',
    send: ({ stack }) =>
      session(stack, async (open) => {
        // Held connections are acknowledged, so the connection_init wait does not close them meanwhile.
        for (let opened = 0; opened < PER_ADDRESS_CAP; opened += 25) {
          await Promise.all(Array.from({ length: Math.min(25, PER_ADDRESS_CAP - opened) }, async () => (await open()).init()));
        }
        await (await open()).waitClose(5_000);
      }),
    expectCode: 'CLOSE_1013',
  },
];
