/**
 * The gateway's websocket under restarts, expiring credentials and hostile
 * clients (issue 9: items 5, 9, 10, 13 and 15, websocket parts). Each test
 * starts the gateway (and, for restarts, a course subgraph) it needs on top of
 * one shared stack, with the limits it tests set small.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { buildSchema } from 'graphql';
import { makeServer, type Client } from 'graphql-ws';
import { IDENTITY_HEADER, serveWebSockets, signUserToken, type Logger, type RunningServer, type WebSocketExtra } from '@coursegraph/runtime';
import { startCourseSubgraph } from '@coursegraph/course';
import { type GatewayConfig, startGateway, CloseCodes } from '@coursegraph/gateway';
import { PlaceOrderDocument, SeatsChangedDocument, SeatsChangedWithCourseDocument, type SeatsChangedSubscription } from '@coursegraph/client';
import { createCourse, expectSeatInvariant, newUser } from '@coursegraph/devkit/fixtures';
import { SECRETS, startStack, testConfig, type Stack } from '@coursegraph/devkit/stack';
import { collect, connect, RawSocket, rawSession } from '@coursegraph/devkit/ws';

let stack: Stack;
const clients: Client[] = [];
const servers: RunningServer[] = [];
beforeAll(async () => {
  stack = await startStack();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.dispose()));
  for (const server of servers.splice(0)) await server.stop();
});
afterAll(() => stack?.stop());

const price = { amount: 1_000, currency: 'USD' };
const buy = (courseId: string, student = newUser('STUDENT')) =>
  stack.call(PlaceOrderDocument, { input: { courseId, expectedPrice: price, idempotencyKey: `key-${randomUUID()}` } }, student);
const client = (url: string, params?: Record<string, unknown>) => {
  const created = connect(url, params);
  clients.push(created);
  return created;
};
const health = async (url: string) => (await (await fetch(new URL('/health', url))).json()) as { subscriptions: unknown };
async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A gateway on the stack's subgraphs (or the given course URL), stopped after the test. */
async function gateway(overrides: Partial<GatewayConfig> = {}, courseUrl = stack.courseUrl): Promise<string> {
  const started = await startGateway(testConfig.gateway({ accounts: stack.accountsUrl, course: courseUrl, order: stack.orderUrl }, overrides));
  servers.unshift(started);
  return `${started.url}/graphql`;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

type Event = SeatsChangedSubscription['seatsChanged'];
const events = (results: { data?: SeatsChangedSubscription | null }[]): Event[] => results.map((result) => result.data!.seatsChanged);
const subscribeMessage = (
  id: string,
  variables: Record<string, unknown>,
  query = 'subscription ($courseIds: [ID!]!) { seatsChanged(courseIds: $courseIds) { version } }',
) => ({
  id,
  type: 'subscribe',
  payload: { query, variables },
});

describe('item 5: versions strictly increase end to end, across course-subgraph restarts', () => {
  test('a restarted course subgraph repeats no version to any client, and a change made while it was down still arrives', async () => {
    const course = await createCourse(stack, { capacity: 10 });
    const port = await freePort();
    const courseConfig = testConfig.course(stack.courseDatabaseUrl, { port });
    let courseB = await startCourseSubgraph(courseConfig);
    const courseBUrl = `${courseB.url}/graphql`;
    try {
      // Identities live 2 s: the resubscriptions below, seconds later, must carry fresh ones.
      const url = await gateway({ wsIdentityTtlSeconds: 2 }, courseBUrl);
      const full = collect(client(url), SeatsChangedDocument, { courseIds: [course.id] });
      const signedIn = collect(client(url, { authorization: `Bearer ${stack.token(newUser('STUDENT'))}` }), SeatsChangedDocument, {
        courseIds: [course.id],
      });
      // A client that does not select `version` is held to the same contract.
      const bare = collect(client(url), 'subscription ($ids: [ID!]!) { seatsChanged(courseIds: $ids) { seatsAvailable reason } }', {
        ids: [course.id],
      });
      const [current] = events(await full.until(1));
      await bare.until(1);
      const v0 = current!.version;
      await buy(course.id); // through the stack's own course instance; the event reaches B through PostgreSQL
      await Promise.all([full.until(2), bare.until(2), signedIn.until(2)]);
      await sleep(2_500); // every identity signed so far has expired

      // Restart 1, with a sale while B is down: the resubscription's CURRENT is new, and arrives.
      await courseB.stop();
      await buy(course.id);
      courseB = await startCourseSubgraph(courseConfig);
      await eventually(async () => (await health(courseBUrl)).subscriptions === 3, 30_000);
      await Promise.all([full.until(3, 10_000), bare.until(3, 10_000)]);

      // Restart 2, nothing changed: the resubscription's CURRENT repeats the last version, and is dropped.
      await courseB.stop();
      courseB = await startCourseSubgraph(courseConfig);
      await eventually(async () => (await health(courseBUrl)).subscriptions === 3, 30_000);
      await sleep(500); // room for a repeated event to arrive, were it sent
      await buy(course.id);
      const seen = events(await full.until(4, 10_000));
      expect(seen.map((e) => [e.reason, e.version, e.seatsAvailable])).toEqual([
        ['CURRENT', v0, 10],
        ['PURCHASED', v0 + 1, 9],
        ['CURRENT', v0 + 2, 8],
        ['PURCHASED', v0 + 3, 7],
      ]);
      await Promise.all([bare.until(4, 10_000), signedIn.until(4, 10_000)]);
      await sleep(300);
      expect(full.results).toHaveLength(4);
      expect(signedIn.results).toEqual(full.results);
      expect(bare.results.map((r) => r.data)).toEqual(seen.map((e) => ({ seatsChanged: { seatsAvailable: e.seatsAvailable, reason: e.reason } })));
      // A client joining the running topic now starts from the latest state, not from a repeat.
      const late = collect(client(url), SeatsChangedDocument, { courseIds: [course.id] });
      expect(events(await late.until(1))[0]).toMatchObject({ version: v0 + 3, seatsAvailable: 7 });
      await expectSeatInvariant(stack, course.id);
    } finally {
      await courseB.stop();
    }
  }, 120_000);
});

describe('item 10: credentials of a long-lived subscription', () => {
  test('federated fields keep arriving past the identity lifetime; the connection closes with 4419 when the access token expires', async () => {
    const url = await gateway({ wsIdentityTtlSeconds: 2 });
    const course = await createCourse(stack, { capacity: 5 });
    const student = newUser('STUDENT');
    const token = signUserToken(SECRETS.jwtSecret, student, 12);
    const watch = collect(client(url, { authorization: `Bearer ${token}` }), SeatsChangedWithCourseDocument, { courseIds: [course.id] });
    const [current] = await watch.until(1);
    expect(current!.data!.seatsChanged).toMatchObject({ reason: 'CURRENT', course: { enrollmentCount: 0 } });
    await sleep(3_500); // past the 2 s lifetime of every identity signed so far
    await buy(course.id);
    await buy(course.id);
    const results = await watch.until(3, 8_000);
    for (const result of results) expect(result.errors).toBeUndefined();
    expect(results.map((result) => result.data!.seatsChanged.course.enrollmentCount)).toEqual([0, expect.any(Number), expect.any(Number)]);
    expect(results[2]!.data!.seatsChanged).toMatchObject({ reason: 'PURCHASED', seatsAvailable: 3 });
    expect([1, 2]).toContain(results[2]!.data!.seatsChanged.course.enrollmentCount);
    // The token expires 12 s after it was signed; the close follows within a second of that.
    const bounded = new Promise((_resolve, reject) =>
      setTimeout(() => reject(new Error('still open 20 s after the token was signed')), 20_000).unref(),
    );
    await expect(Promise.race([watch.completed, bounded])).rejects.toMatchObject({ code: CloseCodes.TOKEN_EXPIRED });
  }, 60_000);

  test('a lower-case "bearer" scheme is accepted, and the connection still closes with 4419 when its token expires', async () => {
    const course = await createCourse(stack, { capacity: 5 });
    const token = signUserToken(SECRETS.jwtSecret, newUser('STUDENT'), 3);
    const watch = collect(client(stack.gatewayUrl, { authorization: `bearer ${token}` }), SeatsChangedDocument, { courseIds: [course.id] });
    const [current] = await watch.until(1);
    expect(current!.data!.seatsChanged).toMatchObject({ reason: 'CURRENT' });
    const bounded = new Promise((_resolve, reject) =>
      setTimeout(() => reject(new Error('still open 10 s after the token was signed')), 10_000).unref(),
    );
    await expect(Promise.race([watch.completed, bounded])).rejects.toMatchObject({ code: CloseCodes.TOKEN_EXPIRED });
  }, 30_000);

  test('an access token that has already expired is refused at connection_init with 4403', async () => {
    const expired = signUserToken(SECRETS.jwtSecret, newUser('STUDENT'), -10);
    const watch = collect(client(stack.gatewayUrl, { authorization: `Bearer ${expired}` }), SeatsChangedDocument, { courseIds: [randomUUID()] });
    await expect(watch.completed).rejects.toMatchObject({ code: 4403 });
  });
});

describe('item 9: message size, unused variables, connections per address', () => {
  test('a message over the size limit closes the connection with 1009, whatever is in it', async () => {
    const url = await gateway({ wsMaxMessageBytes: 10 * 1024 });
    const [record] = await rawSession(url, async (open) => {
      const socket = await open();
      await socket.init();
      socket.send(subscribeMessage('1', { courseIds: [randomUUID()], unused: 'x'.repeat(2 * 1024 * 1024) }));
      await socket.waitClose();
    });
    expect(record!.closeCode).toBe(CloseCodes.MESSAGE_TOO_BIG);
  });

  test('variables the operation does not declare are dropped: they neither split nor reach the upstream subscription', async () => {
    const url = await gateway();
    const course = await createCourse(stack);
    const a = collect(client(url), SeatsChangedDocument, { courseIds: [course.id], unused: 'a'.repeat(50_000) } as never);
    const b = collect(client(url), SeatsChangedDocument, { courseIds: [course.id], unused: 'b' } as never);
    await Promise.all([a.until(1), b.until(1)]);
    expect((await health(url)).subscriptions).toEqual({ connections: 2, upstream: 1 });
  });

  test('connections per client address are capped (1013), opened-but-silent ones included, and freed on close', async () => {
    const url = await gateway({ wsMaxConnectionsPerAddress: 3 });
    await rawSession(url, async (open) => {
      const held = [await open(), await open(), await open()]; // none sends connection_init
      const refused = await open();
      expect(await refused.waitClose()).toBe(CloseCodes.TRY_AGAIN_LATER);
      held[0]!.terminate();
      await held[0]!.closed;
      await eventually(async () => {
        const again = await open();
        const code = await again.waitClose(300);
        if (code === null) await again.init();
        return code === null;
      });
    });
  });

  test('the gateway-wide connection cap closes further connections with 1013', async () => {
    const url = await gateway({ wsMaxConnections: 2 });
    await rawSession(url, async (open) => {
      await open();
      await open();
      expect(await (await open()).waitClose()).toBe(CloseCodes.TRY_AGAIN_LATER);
    });
  });
});

describe("the course subgraph's own websocket", () => {
  test('a bad identity refuses that one subscription with UNAUTHENTICATED; the connection and its other subscriptions carry on', async () => {
    const course = await createCourse(stack);
    const [record] = await rawSession(stack.courseUrl, async (open) => {
      const socket = await open();
      await socket.init();
      socket.send({ ...subscribeMessage('good', { courseIds: [course.id] }) });
      expect(await socket.next()).toMatchObject({ id: 'good', type: 'next' });
      const forged = subscribeMessage('forged', { courseIds: [course.id] });
      socket.send({ ...forged, payload: { ...forged.payload, extensions: { [IDENTITY_HEADER]: 'not-a-signed-identity' } } });
      expect(await socket.next()).toMatchObject({ id: 'forged', type: 'error', payload: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
      await buy(course.id);
      expect(await socket.next()).toMatchObject({ id: 'good', type: 'next', payload: { data: { seatsChanged: { version: expect.any(Number) } } } });
    });
    expect(record!.closeCode).toBeNull();
  });

  test('a message over 100 kB closes the connection with 1009', async () => {
    const [record] = await rawSession(stack.courseUrl, async (open) => {
      const socket = await open();
      await socket.init();
      socket.send(subscribeMessage('1', { courseIds: [randomUUID()], unused: 'x'.repeat(200 * 1024) }));
      await socket.waitClose();
    });
    expect(record!.closeCode).toBe(1009);
  });
});

describe('item 13: client mistakes over websockets get client codes', () => {
  test.each([
    ['missing variables', {}, 'BAD_USER_INPUT'],
    ['variables of the wrong type', { courseIds: [{ id: 1 }] }, 'BAD_USER_INPUT'],
    ['a null inside a non-null list', { courseIds: [null] }, 'BAD_USER_INPUT'],
  ])('%s: %s', async (_name, variables, code) => {
    const watch = collect(client(stack.gatewayUrl), SeatsChangedDocument, variables as never);
    await expect(watch.completed).rejects.toEqual([expect.objectContaining({ extensions: { code, requestId: expect.any(String) } })]);
  });

  test('an unknown operation name is OPERATION_RESOLUTION_FAILURE', async () => {
    const [record] = await rawSession(stack.gatewayUrl, async (open) => {
      const socket = await open();
      await socket.init();
      socket.send({
        id: '1',
        type: 'subscribe',
        payload: { query: 'subscription A { seatsChanged(courseIds: []) { version } }', operationName: 'B' },
      });
      expect(await socket.next()).toMatchObject({ id: '1', type: 'error', payload: [{ extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } }] });
    });
    expect(record!.closeCode).toBeNull();
  });
});

describe('root fields of subscriptions carry no @skip or @include', () => {
  const seats = (courseId: string) => `seatsChanged(courseIds: ["${courseId}"])`;
  test.each([
    [
      '@include with a variable set to true',
      (id: string) => `subscription ($v: Boolean!) { ${seats(id)} @include(if: $v) { courseId } }`,
      { v: true },
    ],
    [
      '@include with a variable set to false',
      (id: string) => `subscription ($v: Boolean!) { ${seats(id)} @include(if: $v) { courseId } }`,
      { v: false },
    ],
    ['@skip(if: true)', (id: string) => `subscription { ${seats(id)} @skip(if: true) { courseId } }`, {}],
    [
      '@skip(if: false) inside a fragment spread at the root',
      (id: string) => `subscription { ...F } fragment F on Subscription { ${seats(id)} @skip(if: false) { courseId } }`,
      {},
    ],
    [
      '@include on a fragment spread at the root',
      (id: string) => `subscription { ...F @include(if: true) } fragment F on Subscription { ${seats(id)} { courseId } }`,
      {},
    ],
    [
      '@skip on an inline fragment at the root',
      (id: string) => `subscription { ... on Subscription @skip(if: false) { ${seats(id)} { courseId } } }`,
      {},
    ],
    ['@include inside an inline fragment at the root', (id: string) => `subscription { ... { ${seats(id)} @include(if: true) { courseId } } }`, {}],
  ])('%s: GRAPHQL_VALIDATION_FAILED for that subscription; the connection carries on', async (_name, query, variables) => {
    const course = await createCourse(stack);
    const [record] = await rawSession(stack.gatewayUrl, async (open) => {
      const socket = await open();
      await socket.init();
      socket.send({ id: 'root', type: 'subscribe', payload: { query: query(course.id), variables } });
      expect(await socket.next()).toMatchObject({ id: 'root', type: 'error', payload: [{ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] });
      // Below the root field they are allowed.
      socket.send({
        id: 'below',
        type: 'subscribe',
        payload: { query: `subscription { ${seats(course.id)} { courseId course @skip(if: true) { title } } }` },
      });
      expect(await socket.next()).toMatchObject({ id: 'below', type: 'next', payload: { data: { seatsChanged: { courseId: course.id } } } });
    });
    expect(record!.closeCode).toBeNull();
  });
});

describe('a fault while a subscription is set up', () => {
  test('ends only that subscription with a masked INTERNAL_SERVER_ERROR; the connection and its other subscriptions carry on', async () => {
    const httpServer = http.createServer();
    await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
    const logged: string[] = [];
    const ignore = () => undefined;
    const log: Logger = { debug: ignore, info: ignore, warn: ignore, error: (msg) => void logged.push(msg) };
    const served = serveWebSockets(
      makeServer<Record<string, unknown>, WebSocketExtra>({
        schema: buildSchema('type Query { ok: Boolean } type Subscription { tick: Int }'),
        onSubscribe: (_ctx, id) => {
          if (id === 'broken') throw new Error('secret internal detail');
        },
        subscribe: async function* () {
          yield { data: { tick: 1 } };
        } as never,
      }),
      { server: httpServer, path: '/graphql', maxMessageBytes: 10_000, keepAliveMs: 60_000, log },
    );
    try {
      const url = `http://127.0.0.1:${(httpServer.address() as net.AddressInfo).port}/graphql`;
      const [record] = await rawSession(url, async (open) => {
        const socket = await open();
        await socket.init();
        socket.send({ id: 'broken', type: 'subscribe', payload: { query: 'subscription { tick }' } });
        expect(await socket.next()).toEqual({
          id: 'broken',
          type: 'error',
          payload: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
        });
        socket.send({ id: 'fine', type: 'subscribe', payload: { query: 'subscription { tick }' } });
        expect(await socket.next()).toEqual({ id: 'fine', type: 'next', payload: { data: { tick: 1 } } });
      });
      expect(record!.closeCode).toBeNull();
      expect(record!.messages.join('')).not.toContain('secret');
      expect(logged).toHaveLength(1);
    } finally {
      await served.dispose();
      await new Promise((resolve) => httpServer.close(resolve));
    }
  });
});

describe('subscription ids reused once completed', () => {
  /** A gateway on its own course subgraph, so both sides' open subscriptions can be counted. */
  async function counted(overrides: Partial<GatewayConfig> = {}) {
    const course = await createCourse(stack);
    const courseB = await startCourseSubgraph(testConfig.course(stack.courseDatabaseUrl));
    servers.push(courseB); // stopped after the gateway, which afterEach stops first
    const courseBUrl = `${courseB.url}/graphql`;
    const url = await gateway(overrides, courseBUrl);
    // A distinct alias makes each subscription its own topic: one upstream subscription each.
    const watch = (id: string, alias: string) => ({
      id,
      type: 'subscribe',
      payload: { query: `subscription { ${alias}: seatsChanged(courseIds: ["${course.id}"]) { courseId } }` },
    });
    const open = async () => {
      const gatewaySide = (await health(url)).subscriptions as { connections: number; upstream: number };
      return { ...gatewaySide, course: (await health(courseBUrl)).subscriptions as number };
    };
    return { url, watch, open };
  }

  test('every upstream subscription ends when its client subscription completes or the socket closes, and the cap counts what is open', async () => {
    const { url, watch, open } = await counted({ maxSubscriptionsPerConnection: 5 });
    await rawSession(url, async (connect) => {
      const socket = await connect();
      await socket.init();
      // Subscribe, complete and subscribe again with the same id, before the first is set up.
      for (let i = 0; i < 4; i++) {
        socket.send(watch(`a${i}`, `first${i}`));
        socket.send({ id: `a${i}`, type: 'complete' });
        socket.send(watch(`a${i}`, `second${i}`));
      }
      // A complete right after the reused subscribe ends that one too: it is not overtaken.
      socket.send(watch('z', 'firstZ'));
      socket.send({ id: 'z', type: 'complete' });
      socket.send(watch('z', 'secondZ'));
      socket.send({ id: 'z', type: 'complete' });
      const answers: Record<string, unknown>[] = [];
      for (let i = 0; i < 4; i++) answers.push((await socket.next())!);
      // Each id answers once, from its second subscription; the first ones end (nothing is completed by the server).
      expect(answers.map((answer) => [answer.type, answer.id]).sort()).toEqual([0, 1, 2, 3].map((i) => ['next', `a${i}`]));
      for (const answer of answers) expect(Object.keys((answer.payload as { data: object }).data)).toEqual([`second${String(answer.id).slice(1)}`]);
      await eventually(async () => JSON.stringify(await open()) === JSON.stringify({ connections: 1, upstream: 4, course: 4 }));
      // The cap (5) counts the four running: one more is admitted, the next refused.
      socket.send(watch('b0', 'b0'));
      expect(await socket.next()).toMatchObject({ id: 'b0', type: 'next' });
      socket.send(watch('b1', 'b1'));
      expect(await socket.next()).toMatchObject({ id: 'b1', type: 'error', payload: [{ extensions: { code: 'BAD_REQUEST' } }] });
      expect(await socket.next(500)).toBeNull();
      expect(await open()).toEqual({ connections: 1, upstream: 5, course: 5 });

      // A socket cut off while its subscriptions are being set up leaves nothing behind either.
      const cut = await connect();
      await cut.init();
      for (let i = 0; i < 3; i++) {
        cut.send(watch(`c${i}`, `cut${i}`));
        cut.send({ id: `c${i}`, type: 'complete' });
        cut.send(watch(`c${i}`, `cutAgain${i}`));
      }
      cut.terminate();
      socket.terminate();
    });
    await eventually(async () => JSON.stringify(await open()) === JSON.stringify({ connections: 0, upstream: 0, course: 0 }));
  });
  test('an id reused twice (subscribe, complete, subscribe, complete, subscribe) runs only the last, and the client can complete it', async () => {
    const { url, watch, open } = await counted();
    await rawSession(url, async (connect) => {
      const socket = await connect();
      await socket.init();
      for (let i = 0; i < 5; i++) {
        socket.send(watch(`x${i}`, `first${i}`));
        socket.send({ id: `x${i}`, type: 'complete' });
        socket.send(watch(`x${i}`, `second${i}`));
        socket.send({ id: `x${i}`, type: 'complete' });
        socket.send(watch(`x${i}`, `third${i}`));
      }
      const answers: Record<string, unknown>[] = [];
      for (let i = 0; i < 5; i++) answers.push((await socket.next())!);
      expect(answers.map((answer) => [answer.type, answer.id]).sort()).toEqual([0, 1, 2, 3, 4].map((i) => ['next', `x${i}`]));
      for (const answer of answers) expect(Object.keys((answer.payload as { data: object }).data)).toEqual([`third${String(answer.id).slice(1)}`]);
      // No stray `complete` for an id the client still uses.
      expect(await socket.next(500)).toBeNull();
      await eventually(async () => JSON.stringify(await open()) === JSON.stringify({ connections: 1, upstream: 5, course: 5 }));
      for (let i = 0; i < 5; i++) socket.send({ id: `x${i}`, type: 'complete' });
      await eventually(async () => JSON.stringify(await open()) === JSON.stringify({ connections: 1, upstream: 0, course: 0 }));
      socket.terminate();
    });
  });
});

describe('item 15: sockets that never start', () => {
  test('a connection that sends no connection_init is closed with 4408 after the configured wait', async () => {
    const url = await gateway({ wsConnectionInitTimeoutMs: 300 });
    const [record] = await rawSession(url, async (open) => {
      await (await open()).waitClose(5_000);
    });
    expect(record!.closeCode).toBe(4408);
  });
});

test('RawSocket sessions end every socket they opened', async () => {
  let socket: RawSocket | undefined;
  await rawSession(stack.gatewayUrl, async (open) => {
    socket = await open();
  });
  expect(await socket!.waitClose(5_000)).not.toBeNull();
});
