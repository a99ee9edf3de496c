import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { Client as PgClient } from 'pg';
import type { Client } from 'graphql-ws';
import { createCourseDataSource, moveSeats, startCourseSubgraph } from '@coursegraph/course';
import { startGateway } from '@coursegraph/gateway';
import {
  CancelOrderDocument,
  PlaceOrderDocument,
  SeatsChangedDocument,
  SeatsChangedWithCourseDocument,
  type SeatsChangedSubscription,
} from '@coursegraph/client';
import { createCourse, expectSeatInvariant, newUser } from '@coursegraph/devkit/fixtures';
import { graphql, startStack, testConfig, type Stack } from '@coursegraph/devkit/stack';
import { collect, connect, wsUrl } from '@coursegraph/devkit/ws';
import type { RunningServer } from '@coursegraph/runtime';

let stack: Stack;
const clients: Client[] = [];
beforeAll(async () => {
  // Holds last long enough for every purchase on a loaded machine; the expiry test ends its own hold early.
  stack = await startStack({ course: { reservationTtlSeconds: 120, sweepIntervalSeconds: 1 } });
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.dispose()));
});
afterAll(() => stack?.stop());

const price = { amount: 1_000, currency: 'USD' };
const buy = (courseId: string, student = newUser('STUDENT')) =>
  stack.call(PlaceOrderDocument, { input: { courseId, expectedPrice: price, idempotencyKey: `key-${randomUUID()}` } }, student);
const client = (params?: Record<string, unknown>, url = stack.gatewayUrl) => {
  const created = connect(url, params);
  clients.push(created);
  return created;
};
type Event = SeatsChangedSubscription['seatsChanged'];
const events = (results: { data?: SeatsChangedSubscription | null }[]): Event[] => results.map((result) => result.data!.seatsChanged);
const health = async (url: string) => (await (await fetch(new URL('/health', url))).json()) as { subscriptions: unknown };
async function eventually(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('seatsChanged through the gateway', () => {
  test('counts step down as orders confirm, and up on cancel and on expiry, with strictly increasing versions', async () => {
    const course = await createCourse(stack, { capacity: 3 });
    const watch = collect(client(), SeatsChangedDocument, { courseIds: [course.id] });
    await watch.until(1);
    const student = newUser('STUDENT');
    const first = await buy(course.id, student);
    await buy(course.id);
    await stack.call(CancelOrderDocument, { input: { orderId: first.data!.placeOrder.order!.id } }, student);
    // A reservation nobody confirms: its seat comes back when the sweeper expires it. Its hold is
    // moved into the past, as if its TTL had run out, rather than the whole stack running on a short TTL.
    const key = `hold-${randomUUID()}`;
    const reserved = await stack.callCourseAsService<{ reserveSeat: { userErrors: unknown[] } }>(
      `mutation ($input: ReserveSeatInput!) { reserveSeat(input: $input) { userErrors { code } } }`,
      { input: { courseId: course.id, expectedPrice: price, key, holderId: randomUUID() } },
    );
    expect(reserved.data!.reserveSeat.userErrors).toEqual([]);
    await stack.courseDb.query(`UPDATE reservation SET expires_at = now() - interval '1 second' WHERE key = $1`, [key]);
    const seen = events(await watch.until(6, 8_000));
    // A purchase sells the seat at once: one event (PURCHASED), not a hold and a confirm.
    expect(seen.map((e) => [e.reason, e.seatsAvailable, e.seatsHeld, e.seatsSold])).toEqual([
      ['CURRENT', 3, 0, 0],
      ['PURCHASED', 2, 0, 1],
      ['PURCHASED', 1, 0, 2],
      ['CANCELLED', 2, 0, 1],
      ['RESERVED', 1, 1, 1],
      ['EXPIRED', 2, 0, 1],
    ]);
    const versions = seen.map((e) => e.version);
    expect(versions).toEqual(versions.map((_v, index) => versions[0]! + index));
    for (const event of seen) {
      expect(event.courseId).toBe(course.id);
      expect(event.seatsAvailable + event.seatsHeld + event.seatsSold).toBe(event.capacity);
      expect(Date.parse(event.changedAt)).not.toBeNaN();
    }
    await expectSeatInvariant(stack, course.id);
  });

  test('a change that rolls back emits nothing; a refused reservation emits nothing', async () => {
    const course = await createCourse(stack, { capacity: 5 });
    const watch = collect(client(), SeatsChangedDocument, { courseIds: [course.id] });
    const [current] = events(await watch.until(1));
    // The same statement as every real change, in a transaction that then fails.
    const dataSource = await createCourseDataSource(stack.courseDatabaseUrl).initialize();
    try {
      await expect(
        dataSource.transaction(async (manager) => {
          await moveSeats(manager, course.id, { available: -1, held: +1 }, 'RESERVED');
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
    } finally {
      await dataSource.destroy();
    }
    const refused = await stack.call(
      PlaceOrderDocument,
      { input: { courseId: course.id, expectedPrice: { amount: 999, currency: 'USD' }, idempotencyKey: `key-${randomUUID()}` } },
      newUser('STUDENT'),
    );
    expect(refused.data!.placeOrder.userErrors[0]!.code).toBe('PRICE_CHANGED');
    await buy(course.id);
    const seen = events(await watch.until(2));
    expect(seen.map((e) => [e.reason, e.version])).toEqual([
      ['CURRENT', current!.version],
      ['PURCHASED', current!.version + 1],
    ]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(watch.results).toHaveLength(2);
  });

  test('federated fields selected in the subscription arrive with each event', async () => {
    const course = await createCourse(stack, { capacity: 3 });
    await buy(course.id);
    const watch = collect(client(), SeatsChangedWithCourseDocument, { courseIds: [course.id] });
    const [current] = await watch.until(1);
    expect(current!.data!.seatsChanged).toMatchObject({
      reason: 'CURRENT',
      seatsAvailable: 2,
      course: { id: course.id, title: 'Course under test', price, enrollmentCount: 1 },
    });
    await buy(course.id);
    const [, purchased] = await watch.until(2);
    for (const result of [purchased!]) {
      expect(result.errors).toBeUndefined();
      expect(result.data!.seatsChanged.course).toEqual({ id: course.id, title: 'Course under test', price, enrollmentCount: expect.any(Number) });
      // The order subgraph records the order after the seat event; the count is 1 or 2 by then.
      expect([1, 2]).toContain(result.data!.seatsChanged.course.enrollmentCount);
    }
  });

  test('a seat taken through course instance A reaches a subscriber whose gateway forwards to instance B', async () => {
    const course = await createCourse(stack, { capacity: 4 });
    const servers: RunningServer[] = [];
    try {
      const instanceB = await startCourseSubgraph(testConfig.course(stack.courseDatabaseUrl));
      servers.push(instanceB);
      const gatewayB = await startGateway(
        testConfig.gateway({ accounts: stack.accountsUrl, course: `${instanceB.url}/graphql`, order: stack.orderUrl }),
      );
      servers.unshift(gatewayB);
      const watch = collect(client(undefined, `${gatewayB.url}/graphql`), SeatsChangedDocument, { courseIds: [course.id] });
      await watch.until(1);
      expect((await health(`${instanceB.url}/graphql`)).subscriptions).toBe(1);
      expect((await health(stack.courseUrl)).subscriptions).toBe(0);
      await buy(course.id); // the stack's order subgraph buys through instance A
      const seen = events(await watch.until(2));
      expect(seen.map((e) => [e.reason, e.seatsAvailable])).toEqual([
        ['CURRENT', 4],
        ['PURCHASED', 3],
      ]);
    } finally {
      for (const server of servers) await server.stop();
    }
  });

  test('a server stopped twice stops once: the second stop resolves with the first (a test teardown after a failed restart)', async () => {
    const course = await startCourseSubgraph(testConfig.course(stack.courseDatabaseUrl));
    const gateway = await startGateway(testConfig.gateway({ accounts: stack.accountsUrl, course: `${course.url}/graphql`, order: stack.orderUrl }));
    await Promise.all([gateway.stop(), gateway.stop()]);
    await course.stop();
    await expect(course.stop()).resolves.toBeUndefined();
    await expect(fetch(`${course.url}/health`)).rejects.toThrow();
  });

  test('200 concurrent subscribers all receive every event of a 50-order burst, in order', async () => {
    const course = await createCourse(stack, { capacity: 100 });
    const connections = Array.from({ length: 200 }, () => client());
    const watches = connections.map((c) => collect(c, SeatsChangedDocument, { courseIds: [course.id] }));
    await Promise.all(watches.map((watch) => watch.until(1)));
    const results = await Promise.all(Array.from({ length: 50 }, () => buy(course.id)));
    expect(results.map((r) => r.data?.placeOrder.order?.status)).toEqual(Array(50).fill('CONFIRMED'));
    const start = events(watches[0]!.results)[0]!.version;
    for (const watch of watches) {
      const seen = events(await watch.until(51, 20_000));
      expect(seen.map((e) => e.version)).toEqual(Array.from({ length: 51 }, (_v, index) => start + index));
      expect(seen[50]).toMatchObject({ seatsAvailable: 50, seatsSold: 50, seatsHeld: 0 });
    }
    await expectSeatInvariant(stack, course.id);
  });

  test('unsubscribing and disconnecting release the upstream subscription at once', async () => {
    const course = await createCourse(stack, { capacity: 2 });
    const a = collect(client(), SeatsChangedDocument, { courseIds: [course.id] });
    const b = collect(client(), SeatsChangedWithCourseDocument, { courseIds: [course.id] });
    await Promise.all([a.until(1), b.until(1)]);
    expect((await health(stack.courseUrl)).subscriptions).toBe(2);
    expect((await health(stack.gatewayUrl)).subscriptions).toEqual({ connections: 2, upstream: 2 });
    a.unsubscribe();
    await eventually(async () => (await health(stack.courseUrl)).subscriptions === 1);
    await Promise.all(clients.splice(0).map((c) => c.dispose())); // disconnects both clients, b still subscribed
    await eventually(async () => (await health(stack.courseUrl)).subscriptions === 0);
    await eventually(async () => JSON.stringify((await health(stack.gatewayUrl)).subscriptions) === '{"connections":0,"upstream":0}');
  });

  test('identical subscriptions share one upstream subscription; a late joiner starts from the latest state', async () => {
    const course = await createCourse(stack, { capacity: 3 });
    const early = collect(client(), SeatsChangedDocument, { courseIds: [course.id] });
    await early.until(1);
    await buy(course.id);
    await early.until(2);
    const late = collect(client(), SeatsChangedDocument, { courseIds: [course.id] });
    const [first] = events(await late.until(1));
    expect(first).toEqual(events(early.results)[1]);
    expect(first).toMatchObject({ seatsAvailable: 2, seatsSold: 1 });
    expect((await health(stack.courseUrl)).subscriptions).toBe(1);
    await buy(course.id);
    const tail = (watch: typeof early) =>
      events(watch.results)
        .slice(-2)
        .map((e) => e.version);
    await Promise.all([early.until(3), late.until(2)]);
    expect(tail(late)).toEqual(tail(early));
  });

  test('the event listener reconnects after losing its connection and re-sends the current state (RESYNC), then live events flow', async () => {
    const course = await createCourse(stack, { capacity: 5 });
    const watch = collect(client(), SeatsChangedDocument, { courseIds: [course.id] });
    const [current] = events(await watch.until(1));
    const v0 = current!.version;
    const [{ db }] = (await stack.courseDb.query(`SELECT current_database() AS db`)).rows;
    const listener = `SELECT pid FROM pg_stat_activity WHERE application_name = 'coursegraph-course-events' AND datname = current_database()`;
    const [before] = (await stack.courseDb.query(listener)).rows;
    // A change is made for certain while nobody listens: the database takes no new connection until it is
    // committed, so the listener's reconnects fail until then; its NOTIFY reaches nobody.
    const dataSource = await createCourseDataSource(stack.courseDatabaseUrl).initialize();
    const admin = new PgClient({ connectionString: Object.assign(new URL(stack.courseDatabaseUrl), { pathname: '/postgres' }).toString() });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE "${db}" WITH ALLOW_CONNECTIONS false`);
      try {
        const [{ terminated }] = (await stack.courseDb.query(`SELECT pg_terminate_backend($1, 10000) AS terminated`, [before.pid])).rows;
        expect(terminated).toBe(true);
        await dataSource.transaction((manager) => moveSeats(manager, course.id, { available: +2, capacity: +2 }, 'CAPACITY_CHANGED'));
      } finally {
        await admin.query(`ALTER DATABASE "${db}" WITH ALLOW_CONNECTIONS true`);
      }
    } finally {
      await admin.end();
      await dataSource.destroy();
    }
    const [, resync] = events(await watch.until(2, 15_000));
    expect(resync).toMatchObject({ reason: 'RESYNC', version: v0 + 1, capacity: 7, seatsAvailable: 7, seatsHeld: 0, seatsSold: 0 });
    await buy(course.id); // and live events flow again afterwards
    const seen = events(await watch.until(3, 8_000));
    expect(seen.map((e) => [e.reason, e.version, e.seatsAvailable, e.seatsHeld, e.seatsSold, e.capacity])).toEqual([
      ['CURRENT', v0, 5, 0, 0, 5],
      ['RESYNC', v0 + 1, 7, 0, 0, 7],
      ['PURCHASED', v0 + 2, 6, 0, 1, 7],
    ]);
    const after = (await stack.courseDb.query(listener)).rows;
    expect(after).toHaveLength(1);
    expect(after[0].pid).not.toBe(before.pid);
    await expectSeatInvariant(stack, course.id);
  });

  test('one subscription to several courses: each course its own current state, its own versions, and a late joiner gets the latest of each', async () => {
    // Course A's versions run ahead of B's: a topic that kept one version for all its courses would drop B's events.
    const a = await createCourse(stack, { capacity: 5 });
    const b = await createCourse(stack, { capacity: 3 });
    await buy(a.id);
    await buy(a.id);
    const watch = collect(client(), SeatsChangedDocument, { courseIds: [a.id, b.id] });
    const currents = events(await watch.until(2));
    const state = (e: Event) => [e.courseId, e.reason, e.version, e.seatsAvailable, e.seatsSold];
    const vA = currents.find((e) => e.courseId === a.id)!.version;
    const vB = currents.find((e) => e.courseId === b.id)!.version;
    expect(vA).toBeGreaterThan(vB);
    expect(currents.map(state).sort()).toEqual(
      [
        [a.id, 'CURRENT', vA, 3, 2],
        [b.id, 'CURRENT', vB, 3, 0],
      ].sort(),
    );
    await buy(b.id);
    await buy(a.id);
    expect(
      events(await watch.until(4))
        .slice(2)
        .map(state),
    ).toEqual([
      [b.id, 'PURCHASED', vB + 1, 2, 1],
      [a.id, 'PURCHASED', vA + 1, 2, 3],
    ]);
    const late = collect(client(), SeatsChangedDocument, { courseIds: [a.id, b.id] });
    expect(
      events(await late.until(2))
        .map(state)
        .sort(),
    ).toEqual(
      [
        [a.id, 'PURCHASED', vA + 1, 2, 3],
        [b.id, 'PURCHASED', vB + 1, 2, 1],
      ].sort(),
    );
    expect((await health(stack.courseUrl)).subscriptions).toBe(1);
  });
});

describe('errors and limits', () => {
  test('invalid subscription documents get clear errors', async () => {
    const c = client();
    const cases = [
      ['subscription { seatsChanged(courseIds: [', 'Syntax Error'],
      ['subscription { seatsChanged(courseIds: ["x"]) { noSuchField } }', 'Cannot query field "noSuchField"'],
      ['subscription { reservationChanged { id } }', 'Cannot query field "reservationChanged"'],
    ] as const;
    for (const [query, message] of cases) {
      const watch = collect(c, query, {});
      await expect(watch.completed).rejects.toEqual([expect.objectContaining({ message: expect.stringContaining(message) })]);
    }
    const queryOverWs = collect(c, '{ courses { edges { cursor } } }', {});
    await expect(queryOverWs.completed).rejects.toEqual([
      expect.objectContaining({ extensions: { code: 'BAD_REQUEST', requestId: expect.any(String) } }),
    ]);
  });

  test.each([
    ['an unknown course id', [randomUUID()], /No course with id/],
    ['a malformed course id', ['not-an-id'], /not a valid course id/],
    ['no course ids', [], /Watch from 1 to 50 courses/],
  ])('%s is a BAD_USER_INPUT error', async (_name, courseIds, message) => {
    const watch = collect(client(), SeatsChangedDocument, { courseIds });
    const [result] = await watch.until(1);
    expect(result!.errors).toEqual([
      expect.objectContaining({ message: expect.stringMatching(message), extensions: { code: 'BAD_USER_INPUT', requestId: expect.any(String) } }),
    ]);
    await watch.completed;
  });

  test('50 course ids are allowed, 51 are refused; a repeated id counts once', async () => {
    // Unknown ids: past the limit check, the first of them is refused as unknown; over it, the limit answers.
    const ids = Array.from({ length: 51 }, () => randomUUID());
    const answer = async (courseIds: string[]) => {
      const watch = collect(client(), SeatsChangedDocument, { courseIds });
      const [result] = await watch.until(1);
      await watch.completed;
      expect(result!.data ?? null).toBeNull();
      return result!.errors!.map((error) => [error.message, error.extensions?.code]);
    };
    expect(await answer(ids)).toEqual([['Watch from 1 to 50 courses at a time.', 'BAD_USER_INPUT']]);
    expect(await answer(ids.slice(0, 50))).toEqual([[`No course with id ${ids[0]}.`, 'BAD_USER_INPUT']]);
    expect(await answer([...ids.slice(0, 50), ids[7]!])).toEqual([[`No course with id ${ids[0]}.`, 'BAD_USER_INPUT']]);
  });

  test("a viewer who subscribes after the draft's instructor does not get the instructor's draft", async () => {
    const course = await createCourse(stack, { publish: false });
    const owner = collect(client({ authorization: `Bearer ${stack.token(course.instructor)}` }), SeatsChangedDocument, {
      courseIds: [course.id],
    });
    expect(events(await owner.until(1))[0]).toMatchObject({ reason: 'CURRENT', courseId: course.id });
    for (const params of [undefined, { authorization: `Bearer ${stack.token(newUser('STUDENT'))}` }]) {
      const stranger = collect(client(params), SeatsChangedDocument, { courseIds: [course.id] });
      const [result] = await stranger.until(1);
      expect(result).toEqual({
        errors: [
          expect.objectContaining({
            message: `No course with id ${course.id}.`,
            extensions: { code: 'BAD_USER_INPUT', requestId: expect.any(String) },
          }),
        ],
      });
      await stranger.completed;
      expect(stranger.results).toHaveLength(1);
    }
    // The strangers' refused subscriptions hold nothing upstream; the owner's still runs.
    await eventually(async () => (await health(stack.courseUrl)).subscriptions === 1);
    expect(owner.results).toHaveLength(1);
  });

  test('the federated fields of each event are fetched as the subscriber: the instructor sees the own e-mail address, nobody else does', async () => {
    const email = `owner-${randomUUID().slice(0, 8)}@example.com`;
    const registered = await graphql<{ register: { user: { id: string } | null } }, object>(
      stack.gatewayUrl,
      `
        mutation ($input: RegisterInput!) {
          register(input: $input) {
            user {
              id
            }
          }
        }
      `,
      { input: { email, password: `pw-${randomUUID()}`, displayName: 'Owner', role: 'INSTRUCTOR' } },
    );
    const instructor = { userId: registered.data!.register.user!.id, roles: ['INSTRUCTOR' as const] };
    const course = await createCourse(stack, { instructor });
    const query = 'subscription ($ids: [ID!]!) { seatsChanged(courseIds: $ids) { courseId course { instructor { id email } } } }';
    const seenBy = async (params?: Record<string, unknown>) => {
      const watch = collect<{ seatsChanged: { course: { instructor: { id: string; email: string | null } } } }, { ids: string[] }>(
        client(params),
        query,
        { ids: [course.id] },
      );
      const [first] = await watch.until(1);
      expect(first!.errors).toBeUndefined();
      return first!.data!.seatsChanged.course.instructor;
    };
    // The owner first: a later viewer sharing the owner's topic would get the owner's answer.
    expect(await seenBy({ authorization: `Bearer ${stack.token(instructor)}` })).toEqual({ id: instructor.userId, email });
    expect(await seenBy()).toEqual({ id: instructor.userId, email: null });
    expect(await seenBy({ authorization: `Bearer ${stack.token(newUser('STUDENT'))}` })).toEqual({ id: instructor.userId, email: null });
  });

  test('a draft course can be watched by its instructor only', async () => {
    const course = await createCourse(stack, { publish: false });
    const anonymous = collect(client(), SeatsChangedDocument, { courseIds: [course.id] });
    expect((await anonymous.until(1))[0]!.errors![0]!.message).toMatch(/No course with id/);
    const owner = collect(client({ authorization: `Bearer ${stack.token(course.instructor)}` }), SeatsChangedDocument, {
      courseIds: [course.id],
    });
    expect(events(await owner.until(1))[0]).toMatchObject({ reason: 'CURRENT', courseId: course.id });
  });

  test('a bad token on connection_init is refused with 4403', async () => {
    for (const params of [{ authorization: 'Bearer not-a-token' }, { authorization: `Bearer ${stack.token(newUser('STUDENT'))}x` }]) {
      const watch = collect(client(params), SeatsChangedDocument, { courseIds: [randomUUID()] });
      await expect(watch.completed).rejects.toMatchObject({ code: 4403 });
    }
  });

  test('subscriptions per connection are bounded', async () => {
    const course = await createCourse(stack);
    const c = client();
    const watches = Array.from({ length: 20 }, () => collect(c, SeatsChangedDocument, { courseIds: [course.id] }));
    await Promise.all(watches.map((watch) => watch.until(1)));
    const extra = collect(c, SeatsChangedDocument, { courseIds: [course.id] });
    await expect(extra.completed).rejects.toEqual([expect.objectContaining({ message: 'At most 20 subscriptions per connection.' })]);
  });

  test('an idle client that stops answering pings is dropped, which releases its subscription', async () => {
    const course = await createCourse(stack);
    const servers: RunningServer[] = [];
    try {
      const gateway = await startGateway(
        testConfig.gateway({ accounts: stack.accountsUrl, course: stack.courseUrl, order: stack.orderUrl }, { keepAliveSeconds: 1 }),
      );
      servers.push(gateway);
      // A raw socket that speaks graphql-ws but never answers pings (auto-pong off).
      const socket = new WebSocket(wsUrl(`${gateway.url}/graphql`), 'graphql-transport-ws', { autoPong: false });
      await new Promise((resolve) => socket.once('open', resolve));
      socket.send(JSON.stringify({ type: 'connection_init' }));
      await new Promise((resolve) => socket.once('message', resolve)); // connection_ack
      socket.send(
        JSON.stringify({
          id: '1',
          type: 'subscribe',
          payload: { query: 'subscription ($ids: [ID!]!) { seatsChanged(courseIds: $ids) { version } }', variables: { ids: [course.id] } },
        }),
      );
      await eventually(async () => (await health(stack.courseUrl)).subscriptions === 1);
      const closed = new Promise((resolve) => socket.once('close', resolve));
      await closed;
      await eventually(async () => (await health(stack.courseUrl)).subscriptions === 0);
    } finally {
      for (const server of servers) await server.stop();
    }
  });
});
