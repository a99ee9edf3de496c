/**
 * The gateway's subscription topics against a stand-in for the course
 * subgraph's websocket, which sends exactly what a test tells it to: repeated,
 * stale and interleaved versions, events it cannot complete, upstream failures
 * of each kind, and more events than a client reads. The real course subgraph
 * never sends a stale version on one subscription, so only a stand-in can show
 * what the gateway itself drops, who shares a topic (read from the identity
 * each upstream subscribe carries) and how a topic ends.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GraphQLError, parse } from 'graphql';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { makeServer, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import jwt from 'jsonwebtoken';
import {
  IDENTITY_HEADER,
  pushIterator,
  serveWebSockets,
  signUserToken,
  type Logger,
  type PushIterator,
  type RunningServer,
  type Viewer,
  type WebSocketExtra,
} from '@coursegraph/runtime';
import type { SeatEvent as CourseSeatEvent } from '@coursegraph/course';
import { startGateway } from '../src/server';
import { MAX_BACKLOG } from '../src/subscriptions';
import { SECRETS, testConfig } from '@coursegraph/devkit/stack';
import { collect, connect, RawSocket } from '@coursegraph/devkit/ws';

const COURSE_A = 'c0c0000a-0000-4000-8000-000000000000';
const COURSE_B = 'c0c0000b-0000-4000-8000-000000000000';
const WATCH = 'subscription ($ids: [ID!]!) { seatsChanged(courseIds: $ids) { courseId version reason } }';
/** What the course subgraph publishes; the stand-in sends a course reference only (`{ id }`) for selections of `course`. */
type SeatEvent = Omit<CourseSeatEvent, 'reason' | 'course'> & { reason: string; course?: { id: string } };

/** One upstream seatsChanged subscription the gateway opened on the stand-in. */
interface Feed {
  courseIds: string[];
  /** The identity assertion the gateway sent with the subscribe message. */
  identity: unknown;
  events: PushIterator<SeatEvent>;
  /** Resolves when the gateway ends the upstream subscription. */
  released: Promise<void>;
  /** Events taken from `events` to be sent to the gateway. */
  sent: number;
}

const event = (courseId: string, version: number, changedAt = '2030-01-01T00:00:00.000Z'): SeatEvent => ({
  courseId,
  seatsAvailable: 1,
  seatsHeld: 0,
  seatsSold: 0,
  capacity: 1,
  version,
  reason: 'RESERVED',
  changedAt,
});

const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** A course subgraph websocket that serves seatsChanged from feeds the test writes to. */
async function startStandIn() {
  const feeds: Feed[] = [];
  const feedWaiters: (() => void)[] = [];
  const sockets = new Set<WebSocket>();
  const identities = new WeakMap<object, unknown>();
  let failNextSubscribe: string | null = null;
  let refuseNextSubscribe: string | null = null;
  const typeDefs = parse(readFileSync(join(__dirname, '..', '..', 'subgraphs', 'course', 'schema.graphql'), 'utf8'));
  const schema = buildSubgraphSchema({
    typeDefs,
    resolvers: {
      Subscription: {
        seatsChanged: {
          subscribe: (_parent: unknown, args: { courseIds: string[] }, context: { payload: object }) => {
            if (failNextSubscribe) {
              const message = failNextSubscribe;
              failNextSubscribe = null;
              throw new Error(message);
            }
            let release!: () => void;
            const released = new Promise<void>((resolve) => {
              release = resolve;
            });
            const events = pushIterator<SeatEvent>({ maxBacklog: 1_000_000, onEnd: () => release() });
            const feed: Feed = { courseIds: args.courseIds, identity: identities.get(context.payload), events, released, sent: 0 };
            const next = events.iterator.next.bind(events.iterator);
            events.iterator.next = async () => {
              const taken = await next();
              if (!taken.done) feed.sent++;
              return taken;
            };
            feeds.push(feed);
            feedWaiters.splice(0).forEach((wake) => wake());
            return events.iterator;
          },
          resolve: (value: SeatEvent) => value,
        },
      },
    } as never,
  });
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const served = serveWebSockets(
    makeServer<Record<string, unknown>, WebSocketExtra>({
      schema,
      onConnect: (ctx) => {
        sockets.add(ctx.extra.socket);
        ctx.extra.socket.once('close', () => sockets.delete(ctx.extra.socket));
        return true;
      },
      onSubscribe: (_ctx, _id, payload) => {
        identities.set(payload, payload.extensions?.[IDENTITY_HEADER]);
        // An `error` message for the operation, as a subgraph refusing a subscription sends.
        if (refuseNextSubscribe) {
          const message = refuseNextSubscribe;
          refuseNextSubscribe = null;
          return [new GraphQLError(message)];
        }
      },
      context: (_ctx, _id, payload) => ({ payload }),
    }),
    { server, path: '/graphql', maxMessageBytes: 1024 * 1024, keepAliveMs: 60_000, log: quiet },
  );
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    feeds,
    /** The `index`-th upstream subscription, once the gateway has opened it. */
    async feed(index: number, timeoutMs = 10_000): Promise<Feed> {
      const deadline = Date.now() + timeoutMs;
      while (!feeds[index]) {
        if (Date.now() > deadline) throw new Error(`no upstream subscription #${index} (${feeds.length} opened)`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 100);
          feedWaiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return feeds[index]!;
    },
    /** Fails the next upstream subscription in its resolver: a result with an error carrying `message`, then complete. */
    failNextSubscribe(message: string) {
      failNextSubscribe = message;
    },
    /** Refuses the next upstream subscribe: an `error` message carrying `message`. */
    refuseNextSubscribe(message: string) {
      refuseNextSubscribe = message;
    },
    /** Closes every connection the gateway holds to the stand-in with `code`. */
    closeConnections(code: number) {
      for (const socket of sockets) socket.close(code, 'stand-in closing');
    },
    async stop() {
      await served.dispose();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

type StandIn = Awaited<ReturnType<typeof startStandIn>>;
type Watched = { seatsChanged: { courseId: string; version: number; reason: string } };

let standIn: StandIn;
let gateway: RunningServer;
let url: string;
const clients: Client[] = [];
beforeEach(async () => {
  standIn = await startStandIn();
  // Nothing listens on the other subgraphs' URLs: these tests never reach them.
  // A long keep-alive: the client that stops reading (below) would otherwise be dropped for a missed ping
  // on a loaded machine before its backlog overflows, which is not the behaviour under test.
  gateway = await startGateway(
    testConfig.gateway(
      { accounts: 'http://127.0.0.1:9/graphql', course: standIn.url, order: 'http://127.0.0.1:9/graphql' },
      { keepAliveSeconds: 600 },
    ),
  );
  url = `${gateway.url}/graphql`;
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.dispose()));
  await gateway.stop();
  await standIn.stop();
});

/** A graphql-ws client of the gateway at `gatewayUrl`, disposed after the test. */
const connectTo = (gatewayUrl: string, params?: Record<string, unknown>) => {
  const created = connect(gatewayUrl, params);
  clients.push(created);
  return created;
};
const client = (params?: Record<string, unknown>) => connectTo(url, params);
const watch = (ids = [COURSE_A, COURSE_B], params?: Record<string, unknown>) => collect<Watched, { ids: string[] }>(client(params), WATCH, { ids });
const seen = (results: { data?: Watched | null }[]) =>
  results.map((result) => [result.data!.seatsChanged.courseId, result.data!.seatsChanged.version]);
const stats = async () =>
  ((await (await fetch(new URL('/health', url))).json()) as { subscriptions: { connections: number; upstream: number } }).subscriptions;
async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('versions at the gateway', () => {
  test('repeated and stale versions are dropped per course; each course keeps its own versions; a late joiner gets the latest of each', async () => {
    const first = watch();
    const feed = await standIn.feed(0);
    expect(feed.courseIds).toEqual([COURSE_A, COURSE_B]);
    for (const [courseId, version] of [
      [COURSE_A, 5],
      [COURSE_A, 5], // repeated
      [COURSE_A, 4], // stale
      [COURSE_B, 1], // below A's versions, but another course
      [COURSE_A, 6],
      [COURSE_B, 1], // repeated
      [COURSE_B, 0], // stale
      [COURSE_A, 3], // stale
      [COURSE_B, 2],
      [COURSE_A, 7],
    ] as const) {
      feed.events.push(event(courseId, version));
    }
    await first.until(5);
    const expected = [
      [COURSE_A, 5],
      [COURSE_B, 1],
      [COURSE_A, 6],
      [COURSE_B, 2],
      [COURSE_A, 7],
    ];
    expect(seen(first.results)).toEqual(expected);

    const late = watch();
    expect(seen(await late.until(2))).toEqual([
      [COURSE_A, 7],
      [COURSE_B, 2],
    ]);
    // One upstream subscription for both clients; after the join the same stream, still deduplicated.
    expect(standIn.feeds).toHaveLength(1);
    feed.events.push(event(COURSE_B, 2));
    feed.events.push(event(COURSE_A, 7));
    feed.events.push(event(COURSE_B, 3));
    await Promise.all([first.until(6), late.until(3)]);
    expect(seen(first.results)).toEqual([...expected, [COURSE_B, 3]]);
    expect(seen(late.results)).toEqual([
      [COURSE_A, 7],
      [COURSE_B, 2],
      [COURSE_B, 3],
    ]);
  });
});

describe('who shares a topic', () => {
  test('each viewer gets its own upstream subscription, asserted as that viewer; the same viewer twice shares one', async () => {
    const student: Viewer = { userId: 'c0c00005-0000-4000-8000-000000000000', roles: ['STUDENT'] };
    const token = jwt.sign({ roles: student.roles }, SECRETS.jwtSecret, {
      algorithm: 'HS256',
      issuer: 'coursegraph',
      audience: 'coursegraph-api',
      subject: student.userId,
      expiresIn: 600,
    });
    const anonymous = watch([COURSE_A]);
    const anonymousFeed = await standIn.feed(0);
    const signedIn = watch([COURSE_A], { authorization: `Bearer ${token}` });
    const studentFeed = await standIn.feed(1);
    watch([COURSE_A], { authorization: `Bearer ${token}` });
    watch([COURSE_A]);
    await eventually(async () => (await stats()).connections === 4);
    expect(await stats()).toEqual({ connections: 4, upstream: 2 });
    expect(standIn.feeds).toHaveLength(2);
    const subjectOf = (identity: unknown) =>
      jwt.verify(identity as string, SECRETS.subgraphSecret, { audience: 'coursegraph-subgraph' }) as jwt.JwtPayload;
    expect(subjectOf(anonymousFeed.identity)).toMatchObject({ sub: 'anonymous', roles: [] });
    expect(subjectOf(studentFeed.identity)).toMatchObject({ sub: student.userId, roles: ['STUDENT'] });
    // What one viewer's upstream sends reaches that viewer only.
    studentFeed.events.push(event(COURSE_A, 9));
    anonymousFeed.events.push(event(COURSE_A, 2));
    expect(seen(await signedIn.until(1))).toEqual([[COURSE_A, 9]]);
    expect(seen(await anonymous.until(1))).toEqual([[COURSE_A, 2]]);
  });
});

describe("where the subscriber's token comes from", () => {
  const student: Viewer = { userId: 'c0c00006-0000-4000-8000-000000000000', roles: ['STUDENT'] };
  const token = () => signUserToken(SECRETS.jwtSecret, student);

  /** Subscribes over a plain socket opened with `headers`, sending `init` as connection_init's payload; the upstream subscription it opened. */
  async function subscribeWith(headers: Record<string, string>, init?: Record<string, unknown>): Promise<Feed> {
    const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws', { headers });
    sockets.push(socket);
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    const acked = new Promise((resolve) => socket.once('message', resolve));
    socket.send(JSON.stringify({ type: 'connection_init', ...(init ? { payload: init } : {}) }));
    expect(JSON.parse(String(await acked))).toEqual({ type: 'connection_ack' });
    socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: WATCH, variables: { ids: [COURSE_A] } } }));
    return standIn.feed(standIn.feeds.length);
  }
  const sockets: WebSocket[] = [];
  afterEach(() => sockets.splice(0).forEach((socket) => socket.terminate()));
  const subjectOf = (feed: Feed) =>
    (jwt.verify(feed.identity as string, SECRETS.subgraphSecret, { audience: 'coursegraph-subgraph' }) as jwt.JwtPayload).sub;

  test.each([
    ['connection_init { authorization }', () => ({}), () => ({ authorization: `Bearer ${token()}` })],
    ['connection_init { Authorization }', () => ({}), () => ({ Authorization: `Bearer ${token()}` })],
    ['connection_init { token }', () => ({}), () => ({ token: token() })],
    ["the upgrade request's Authorization header", () => ({ authorization: `Bearer ${token()}` }), () => undefined],
  ])('a token in %s makes the subscriber that user', async (_label, headers, init) => {
    expect(subjectOf(await subscribeWith(headers(), init()))).toBe(student.userId);
  });

  test('connection_init parameters take precedence over the upgrade request header; no token at all is anonymous', async () => {
    const other = signUserToken(SECRETS.jwtSecret, { userId: 'c0c00008-0000-4000-8000-000000000000', roles: ['STUDENT'] });
    expect(subjectOf(await subscribeWith({ authorization: `Bearer ${other}` }, { authorization: `Bearer ${token()}` }))).toBe(student.userId);
    expect(subjectOf(await subscribeWith({}, {}))).toBe('anonymous');
  });
});

describe('what splits topics', () => {
  test('other courses, another selection or another operation of the same document: each its own upstream subscription and its own events', async () => {
    const both = `subscription One($ids: [ID!]!) { seatsChanged(courseIds: $ids) { courseId version } }
      subscription Two($ids: [ID!]!) { seatsChanged(courseIds: $ids) { courseId version reason } }`;
    const subscribers = [
      collect<Watched, { ids: string[] }>(client(), WATCH, { ids: [COURSE_A] }),
      collect<Watched, { ids: string[] }>(client(), WATCH, { ids: [COURSE_B] }),
      collect<Watched, { ids: string[] }>(client(), 'subscription ($ids: [ID!]!) { seatsChanged(courseIds: $ids) { courseId version seatsHeld } }', {
        ids: [COURSE_A],
      }),
    ];
    const feeds = [await standIn.feed(0), await standIn.feed(1), await standIn.feed(2)];
    // Named operations: the client picks one by operationName.
    const named = (operationName: string) =>
      new Promise<{ data?: Watched | null }>((resolve, reject) =>
        client().subscribe<Watched>(
          { query: both, operationName, variables: { ids: [COURSE_A] } },
          { next: resolve, error: reject, complete: () => undefined },
        ),
      );
    const [one, two] = [named('One'), named('Two')];
    feeds.push(await standIn.feed(3), await standIn.feed(4));
    expect(feeds.map((feed) => feed.courseIds)).toEqual([[COURSE_A], [COURSE_B], [COURSE_A], [COURSE_A], [COURSE_A]]);
    expect(await stats()).toMatchObject({ upstream: 5 });
    // Each upstream's event goes to its own subscriber only.
    feeds.forEach((feed, index) => feed.events.push(event(feed.courseIds[0]!, 10 + index)));
    for (const [index, subscriber] of subscribers.entries()) {
      expect(seen(await subscriber.until(1))).toEqual([[feeds[index]!.courseIds[0], 10 + index]]);
    }
    const versions = await Promise.all([one, two]);
    expect(versions.map((result) => result.data!.seatsChanged.version).sort()).toEqual([13, 14]);
  });
});

describe('one frame text per event for every subscriber of a topic', () => {
  // Each a valid graphql-ws id that a frame spliced together carelessly would break or mix up.
  const IDS = ['1', 'a"b', 'back\\slash', '"},"type":"complete","id":"1', 'line\nbreak\u2028\t', 'ü€😀', '\ud800', ' ', '{', 'x'.repeat(300)];

  test('each subscriber gets the message graphql-ws would send, byte for byte, under its own id, in order, then complete; one that completes gets nothing more', async () => {
    const sockets = [await RawSocket.open(url), await RawSocket.open(url)];
    try {
      await Promise.all(sockets.map((socket) => socket.init()));
      const on = (id: string) => sockets[IDS.indexOf(id) % 2]!;
      for (const id of IDS) on(id).send({ id, type: 'subscribe', payload: { query: WATCH, variables: { ids: [COURSE_A] } } });
      const feed = await standIn.feed(0);
      const texts = (id: string) => on(id).record.messages.filter((text) => (JSON.parse(text) as { id?: string }).id === id);
      // Version 1 reaches everyone, live or as the latest event on joining; then one client completes.
      feed.events.push(event(COURSE_A, 1));
      await eventually(async () => IDS.every((id) => texts(id).length === 1));
      on('a"b').send({ id: 'a"b', type: 'complete' });
      await new Promise((resolve) => setTimeout(resolve, 200));
      for (const version of [2, 3, 4, 5]) feed.events.push(event(COURSE_A, version));
      feed.events.end();
      const others = IDS.filter((id) => id !== 'a"b');
      await eventually(async () => others.every((id) => texts(id).length === 6));

      expect(standIn.feeds).toHaveLength(1);
      const payloads = new Set<string>();
      for (const id of others) {
        const messages = texts(id).map((text) => ({ text, message: JSON.parse(text) as { id: string; type: string; payload?: { data: Watched } } }));
        for (const { text, message } of messages.slice(0, 5)) {
          expect(text).toBe(JSON.stringify({ id, type: 'next', payload: message.payload }));
          payloads.add(JSON.stringify(message.payload));
        }
        expect(messages.slice(0, 5).map(({ message }) => message.payload!.data.seatsChanged.version)).toEqual([1, 2, 3, 4, 5]);
        expect(messages[5]!.text).toBe(JSON.stringify({ id, type: 'complete' }));
      }
      // The same five payloads for every subscriber.
      expect(payloads.size).toBe(5);
      expect(texts('a"b')).toHaveLength(1);
    } finally {
      sockets.forEach((socket) => socket.terminate());
    }
  });
});

describe('events that cannot be completed', () => {
  const WITH_COURSE = 'subscription ($ids: [ID!]!) { seatsChanged(courseIds: $ids) { courseId version course { id } } }';
  const WITH_ENROLLMENT = 'subscription ($ids: [ID!]!) { seatsChanged(courseIds: $ids) { courseId version course { id enrollmentCount } } }';

  test('a federated field whose subgraph is down is SERVICE_UNAVAILABLE (retryable), as over HTTP; the subscription goes on', async () => {
    // The order subgraph (enrollmentCount) is at a port where nothing listens.
    const watched = collect<Record<string, unknown>, { ids: string[] }>(client(), WITH_ENROLLMENT, { ids: [COURSE_A] });
    const feed = await standIn.feed(0);
    feed.events.push({ ...event(COURSE_A, 1), course: { id: COURSE_A } });
    feed.events.push({ ...event(COURSE_A, 2), course: { id: COURSE_A } });
    const outage = {
      message: 'A service this request needs is unavailable right now; please retry.',
      extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true, requestId: expect.any(String) },
    };
    expect(await watched.until(2)).toEqual([
      { data: null, errors: [outage] },
      { data: null, errors: [outage] },
    ]);
  });

  test('subscribing again after a SERVICE_UNAVAILABLE event starts from the current state: the failed event is completed again for the new client, and once it completes every client gets it', async () => {
    // An order subgraph (enrollmentCount) that answers, or 503 while `down`.
    let down = false;
    const order = http.createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        if (down) return void response.writeHead(503, { 'content-type': 'text/plain' }).end('down');
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ data: { _entities: [{ __typename: 'Course', enrollmentCount: 7 }] } }));
      });
    });
    await new Promise<void>((resolve) => order.listen(0, '127.0.0.1', resolve));
    const orderUrl = `http://127.0.0.1:${(order.address() as AddressInfo).port}/graphql`;
    const own = await startGateway(testConfig.gateway({ accounts: 'http://127.0.0.1:9/graphql', course: standIn.url, order: orderUrl }));
    try {
      const subscribe = () =>
        collect<Record<string, unknown>, { ids: string[] }>(connectTo(`${own.url}/graphql`), WITH_ENROLLMENT, { ids: [COURSE_A] });
      const good = (version: number) => ({ data: { seatsChanged: { courseId: COURSE_A, version, course: { id: COURSE_A, enrollmentCount: 7 } } } });
      const outage = {
        data: null,
        errors: [
          {
            message: 'A service this request needs is unavailable right now; please retry.',
            extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true, requestId: expect.any(String) },
          },
        ],
      };
      const first = subscribe();
      const feed = await standIn.feed(0);
      feed.events.push({ ...event(COURSE_A, 1), course: { id: COURSE_A } });
      expect(await first.until(1)).toEqual([good(1)]);
      down = true;
      feed.events.push({ ...event(COURSE_A, 2), course: { id: COURSE_A } });
      expect(await first.until(2)).toEqual([good(1), outage]);
      // Still down: a client joining now gets the last complete event, then the failed one failing again.
      const during = subscribe();
      expect(await during.until(2)).toEqual([good(1), outage]);
      down = false;
      // Up again: the client that follows "retryable" starts from version 2, not from version 1 alone.
      const retry = subscribe();
      expect(await retry.until(2)).toEqual([good(1), good(2)]);
      // Version 2 complete at last reaches the clients that were told it failed; only once.
      expect(await first.until(3)).toEqual([good(1), outage, good(2)]);
      expect(await during.until(3)).toEqual([good(1), outage, good(2)]);
      const late = subscribe();
      expect(await late.until(1)).toEqual([good(2)]);
      feed.events.push({ ...event(COURSE_A, 3), course: { id: COURSE_A } });
      for (const watched of [first, during, retry, late]) expect((await watched.until(watched.results.length + 1)).at(-1)).toEqual(good(3));
      expect([first, during, retry, late].map((watched) => watched.results.length)).toEqual([4, 4, 3, 2]);
    } finally {
      await Promise.all(clients.splice(0).map((c) => c.dispose()));
      await own.stop();
      await new Promise((resolve) => order.close(resolve));
    }
  });

  test("a federated field's subgraph refusing it: the client error reaches the subscriber with its code, message and path", async () => {
    // An order subgraph that refuses every entity fetch with a client error.
    const refusing = http.createServer((_request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(
        JSON.stringify({
          data: { _entities: [null] },
          errors: [{ message: 'You may not see this.', path: ['_entities', 0, 'enrollmentCount'], extensions: { code: 'FORBIDDEN' } }],
        }),
      );
    });
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    const orderUrl = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}/graphql`;
    const own = await startGateway(testConfig.gateway({ accounts: 'http://127.0.0.1:9/graphql', course: standIn.url, order: orderUrl }));
    try {
      const watched = collect<Record<string, unknown>, { ids: string[] }>(connectTo(`${own.url}/graphql`), WITH_ENROLLMENT, { ids: [COURSE_A] });
      const feed = await standIn.feed(0);
      feed.events.push({ ...event(COURSE_A, 1), course: { id: COURSE_A } });
      const [result] = await watched.until(1);
      expect(result!.errors).toEqual([
        {
          message: 'You may not see this.',
          path: ['seatsChanged', 'course', 'enrollmentCount'],
          extensions: { code: 'FORBIDDEN', requestId: expect.any(String) },
        },
      ]);
    } finally {
      await Promise.all(clients.splice(0).map((c) => c.dispose()));
      await own.stop();
      await new Promise((resolve) => refusing.close(resolve));
    }
  });

  test('an event the upstream could not complete reaches its subscribers as an error; the stream goes on, and a late joiner starts from the last complete event', async () => {
    const first = collect<Record<string, unknown>, { ids: string[] }>(client(), WITH_COURSE, { ids: [COURSE_A] });
    const feed = await standIn.feed(0);
    const complete = (version: number) => ({ ...event(COURSE_A, version), course: { id: COURSE_A } });
    feed.events.push(complete(1));
    feed.events.push(event(COURSE_A, 2)); // no course: the stand-in cannot complete it
    feed.events.push(complete(3));
    const good = (version: number) => ({ data: { seatsChanged: { courseId: COURSE_A, version, course: { id: COURSE_A } } } });
    expect(await first.until(3)).toEqual([
      good(1),
      {
        errors: [
          {
            message: 'Internal server error',
            path: ['seatsChanged', 'course'],
            extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: expect.any(String) },
          },
        ],
      },
      good(3),
    ]);
    feed.events.push(event(COURSE_A, 4));
    await first.until(4);
    const late = collect<Record<string, unknown>, { ids: string[] }>(client(), WITH_COURSE, { ids: [COURSE_A] });
    expect(await late.until(1)).toEqual([good(3)]);
    feed.events.push(complete(5));
    expect(await late.until(2)).toEqual([good(3), good(5)]);
  });
});

describe('client mistakes over websockets', () => {
  test('a document @apollo/gateway cannot build against its own schema copy is GRAPHQL_VALIDATION_FAILED, as over HTTP, not an internal error', async () => {
    // graphql-js validates __Type.isOneOf; @apollo/gateway's copy of the schema does not know it (INVALID_GRAPHQL).
    const document = `
      query Q { __type(name: "Course") { ...F } }
      fragment F on __Type { isOneOf }
      subscription S($ids: [ID!]!) { seatsChanged(courseIds: $ids) { courseId } }`;
    const overHttp = (await (
      await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'apollo-require-preflight': 'true' },
        body: JSON.stringify({ query: document, operationName: 'Q' }),
      })
    ).json()) as { errors?: { extensions?: { code?: string } }[] };
    expect(overHttp.errors?.map((error) => error.extensions?.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    const refused = await new Promise<unknown>((resolve, reject) => {
      client().subscribe(
        { query: document, operationName: 'S', variables: { ids: [COURSE_A] } },
        { next: reject, error: resolve, complete: () => reject(new Error('completed')) },
      );
    });
    expect(refused).toEqual([
      { message: expect.stringContaining('isOneOf'), extensions: { code: 'GRAPHQL_VALIDATION_FAILED', requestId: expect.any(String) } },
    ]);
    // Refused before anything was opened upstream.
    expect(standIn.feeds).toHaveLength(0);
  });
});

describe('when the upstream subscription ends', () => {
  test('an upstream that fails for good ends its subscribers with SERVICE_UNAVAILABLE (retryable); subscribing again works', async () => {
    const [a, b] = [watch(), watch()];
    const feed = await standIn.feed(0);
    feed.events.push(event(COURSE_A, 1));
    await Promise.all([a.until(1), b.until(1)]);
    standIn.closeConnections(4500); // graphql-ws does not retry a connection closed with 4500
    for (const subscriber of [a, b]) {
      await subscriber.completed;
      expect(subscriber.results.slice(1)).toEqual([
        {
          errors: [
            {
              message: 'The subscription service is unavailable; subscribe again.',
              extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true, requestId: expect.any(String) },
            },
          ],
        },
      ]);
    }
    await eventually(async () => (await stats()).upstream === 0);
    const again = watch();
    const second = await standIn.feed(1);
    second.events.push(event(COURSE_A, 2));
    expect(seen(await again.until(1))).toEqual([[COURSE_A, 2]]);
  });

  test('an upstream result with an unexpected error is masked before it reaches the client, and ends the subscription', async () => {
    standIn.failNextSubscribe('secret detail from /srv/course/src/seats.ts:12');
    const failed = watch();
    await failed.completed;
    expect(failed.results).toEqual([
      {
        errors: [
          { message: 'Internal server error', path: ['seatsChanged'], extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: expect.any(String) } },
        ],
      },
    ]);
    expect(JSON.stringify(failed.results)).not.toContain('secret');
  });

  test('an upstream refusal (an error message) with an unexpected error is masked too, and ends the subscription', async () => {
    standIn.refuseNextSubscribe('secret detail from /srv/course/src/seats.ts:12');
    const refused = watch();
    await refused.completed;
    expect(refused.results).toEqual([
      { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: expect.any(String) } }] },
    ]);
    expect(JSON.stringify(refused.results)).not.toContain('secret');
    await eventually(async () => (await stats()).upstream === 0);
  });

  test('an upstream that completes completes every subscriber and releases the topic', async () => {
    const [a, b] = [watch(), watch()];
    const feed = await standIn.feed(0);
    feed.events.push(event(COURSE_A, 1));
    await Promise.all([a.until(1), b.until(1)]);
    feed.events.end();
    await Promise.all([a.completed, b.completed]);
    expect([a.results.length, b.results.length]).toEqual([1, 1]);
    await eventually(async () => (await stats()).upstream === 0);
  });

  test('the last subscriber leaving ends the upstream subscription; one leaving of two does not', async () => {
    const [a, b] = [watch(), watch()];
    const feed = await standIn.feed(0);
    feed.events.push(event(COURSE_A, 1));
    await Promise.all([a.until(1), b.until(1)]);
    a.unsubscribe();
    await eventually(async () => (await stats()).connections === 2);
    feed.events.push(event(COURSE_A, 2));
    await b.until(2);
    b.unsubscribe();
    await feed.released;
    expect(await stats()).toMatchObject({ upstream: 0 });
  });
});

describe('a client that does not read', () => {
  test(`is ended with SUBSCRIPTION_OVERFLOW once ${MAX_BACKLOG} events wait for it, after everything before in order; the upstream is released`, async () => {
    const socket = await RawSocket.open(url);
    try {
      await socket.init();
      socket.send({ id: 'slow', type: 'subscribe', payload: { query: WATCH, variables: { ids: [COURSE_A] } } });
      const feed = await standIn.feed(0);
      // Stop reading: once the socket buffers are full, events wait in the gateway.
      socket.socket.pause();
      // Large events fill the socket buffers with few of them; count until the gateway gives up on the client.
      const padding = 'x'.repeat(16 * 1024);
      let released = false;
      void feed.released.then(() => (released = true));
      let pushed = 0;
      const deadline = Date.now() + 60_000;
      while (!released) {
        if (Date.now() > deadline) throw new Error(`the gateway still holds the subscription of a client that read nothing of ${pushed} events`);
        // At the pace the gateway takes them, so what waits, waits in the gateway.
        if (pushed - feed.sent < 50) for (let i = 0; i < 50; i++) feed.events.push(event(COURSE_A, ++pushed, padding));
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      socket.socket.resume();
      const messages: Record<string, unknown>[] = [];
      for (;;) {
        const message = await socket.next(10_000);
        if (!message) throw new Error(`the subscription did not end: ${messages.length} messages`);
        messages.push(message);
        if (message.type !== 'next' || !(message.payload as { data?: unknown }).data) break;
      }
      const complete = await socket.next(10_000);
      const versions = messages.slice(0, -1).map((message) => (message.payload as { data: Watched }).data.seatsChanged.version);
      // Every event up to the overflow, in order, none skipped: then the error, then the end.
      expect(versions).toEqual(versions.map((_v, index) => index + 1));
      expect(versions.length).toBeGreaterThan(MAX_BACKLOG);
      expect(versions.length).toBeLessThan(pushed);
      expect(messages.at(-1)).toEqual({
        id: 'slow',
        type: 'next',
        payload: {
          errors: [
            {
              message: 'This subscription fell too far behind and was ended.',
              extensions: { code: 'SUBSCRIPTION_OVERFLOW', requestId: expect.any(String) },
            },
          ],
        },
      });
      expect(complete).toEqual({ id: 'slow', type: 'complete' });
      expect(await stats()).toMatchObject({ upstream: 0 });
    } finally {
      socket.terminate();
    }
  }, 120_000);
});
