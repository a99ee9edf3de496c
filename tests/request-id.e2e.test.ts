/**
 * Request ids through the whole supergraph (runtime request-id.ts): the
 * gateway keeps a client's valid X-Request-Id, makes one otherwise, returns
 * it, and every service logs each line of the request's work with it; the
 * errors a client sees carry it; and no log line holds a password or token.
 * The services run with LOG_LEVEL=debug and LOG_SQL=true, so every SQL
 * statement and every answered request is a line.
 */
import net from 'node:net';
import { randomUUID } from 'node:crypto';
import { PlaceOrderDocument } from '@coursegraph/client';
import { createCourse, expectSeatInvariant, newUser } from '@coursegraph/devkit/fixtures';
import { captureLogLines, type LogCapture, type LogEntry } from '@coursegraph/devkit/logs';
import { connect } from '@coursegraph/devkit/ws';
import { bearer, startStack, type Stack } from '@coursegraph/devkit/stack';
import { print } from 'graphql';

let stack: Stack;
let logs: LogCapture;
const saved = { LOG_LEVEL: process.env.LOG_LEVEL, LOG_SQL: process.env.LOG_SQL };

beforeAll(async () => {
  // Loggers read these when the services start.
  process.env.LOG_LEVEL = 'debug';
  process.env.LOG_SQL = 'true';
  logs = captureLogLines();
  try {
    stack = await startStack();
  } finally {
    Object.assign(process.env, saved);
  }
});
afterAll(async () => {
  await stack?.stop();
  logs?.restore();
});

/** The lines the work between `from` (an index into the captured entries) and now logged. */
const since = (from: number): LogEntry[] => logs.entries().slice(from);
/** Which of our services wrote a line: the database loggers are named `coursegraph-<service>`. */
const serviceOf = (entry: LogEntry) => entry.service.replace(/^coursegraph-/, '');
/** The lines of the services a catalog read or an order involves (the accounts subgraph's cleanup job may run meanwhile). */
const ofOrderServices = (lines: LogEntry[]) => lines.filter((line) => ['gateway', 'course', 'order'].includes(serviceOf(line)));
const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

/** POSTs `query` to the gateway with `headers`; the answer's body, and its X-Request-Id. */
async function post(query: string, variables: object = {}, headers: Record<string, string> = {}) {
  const response = await fetch(stack.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: unknown; errors?: { extensions?: Record<string, unknown> }[] };
  return { status: response.status, requestId: response.headers.get('x-request-id'), body };
}

const price = { amount: 1_000, currency: 'USD' };
const PLACE_ORDER = print(PlaceOrderDocument);

describe('a request id', () => {
  test("the client's X-Request-Id comes back, and every line gateway, course and order log for its placeOrder carries it", async () => {
    const course = await createCourse(stack, { capacity: 3 });
    const student = newUser('STUDENT');
    const requestId = `client-${randomUUID()}`;
    await settle();
    const from = logs.entries().length;
    const answer = await post(
      PLACE_ORDER,
      { input: { courseId: course.id, expectedPrice: price, idempotencyKey: randomUUID() } },
      { ...bearer(stack.token(student)), 'X-Request-Id': requestId },
    );
    expect(answer.body).toMatchObject({ data: { placeOrder: { order: { status: 'CONFIRMED' }, userErrors: [] } } });
    expect(answer.requestId).toBe(requestId);
    await settle();
    const lines = ofOrderServices(since(from));
    // The work of the order: the saga's SQL in order, its purchase SQL in course, each service's request line.
    const services = new Set(lines.map(serviceOf));
    for (const service of ['gateway', 'course', 'order']) expect(services).toContain(service);
    // At least the saga's purchase call (the gateway may ask the course subgraph for fields of the answer too).
    expect(lines.filter((line) => serviceOf(line) === 'course' && line.msg === 'request').length).toBeGreaterThanOrEqual(1);
    expect(lines.filter((line) => line.requestId !== requestId).map((line) => `${line.service} ${line.msg}`)).toEqual([]);
    expect(await expectSeatInvariant(stack, course.id)).toMatchObject({ sold: 1 });
  });

  test('a request without one gets a new one (a UUID), and its lines carry that', async () => {
    await settle();
    const from = logs.entries().length;
    const answer = await post('{ courses(first: 1) { edges { node { id } } } }');
    expect(answer.body.errors).toBeUndefined();
    expect(answer.requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    await settle();
    const lines = ofOrderServices(since(from));
    expect(new Set(lines.map(serviceOf))).toEqual(new Set(['gateway', 'course']));
    expect(lines.filter((line) => line.requestId !== answer.requestId)).toEqual([]);
  });

  test('a body that arrives after the headers (another TCP packet) is handled as the same request', async () => {
    const body = JSON.stringify({ query: '{ courses(first: 1) { edges { node { id } } } }' });
    const { port } = new URL(stack.gatewayUrl);
    await settle();
    const from = logs.entries().length;
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), '127.0.0.1');
      const chunks: Buffer[] = [];
      socket.on('data', (chunk) => chunks.push(chunk));
      socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      socket.on('error', reject);
      socket.write(
        `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\nX-Request-Id: slow-body\r\n\r\n`,
      );
      setTimeout(() => socket.write(body), 200);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 200/);
    await settle();
    const lines = ofOrderServices(since(from));
    expect(lines.filter((line) => serviceOf(line) === 'course').length).toBeGreaterThan(0);
    expect(lines.filter((line) => line.requestId !== 'slow-body').map((line) => `${line.service} ${line.msg}`)).toEqual([]);
  });

  test.each([
    ['129 characters', 'a'.repeat(129)],
    ['spaces and quotes', 'id "with" spaces'],
    ['a JSON object', '{"msg":"forged"}'],
    ['percent-encoded newline', 'abc%0Aforged'],
    ['a tab', 'abc\tforged'],
    ['Latin-1 letters', 'caf\u00e9'],
  ])('a hostile id (%s) is replaced by a new one, neither echoed nor logged', async (_name, hostile) => {
    const from = logs.entries().length;
    const answer = await post('{ courses(first: 1) { edges { node { id } } } }', {}, { 'X-Request-Id': hostile });
    expect(answer.requestId).not.toBe(hostile);
    expect(answer.requestId).toMatch(/^[0-9a-f-]{36}$/);
    await settle();
    expect(since(from).filter((line) => JSON.stringify(line).includes(hostile))).toEqual([]);
  });

  test('a newline or UTF-8 in the raw header is never echoed', async () => {
    const body = JSON.stringify({ query: '{ __typename }' });
    const { port } = new URL(stack.gatewayUrl);
    for (const hostile of [Buffer.from('abc\nX-Forged: 1'), Buffer.from('id-\u00fc\u4e2d', 'utf8')]) {
      const raw = await new Promise<string>((resolve, reject) => {
        const socket = net.connect(Number(port), '127.0.0.1');
        const chunks: Buffer[] = [];
        socket.on('data', (chunk) => chunks.push(chunk));
        socket.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')));
        socket.on('error', reject);
        const head = `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\nX-Request-Id: `;
        socket.end(Buffer.concat([Buffer.from(head), hostile, Buffer.from(`\r\n\r\n${body}`)]));
      });
      // Node refuses a bare newline in a header (400, no id); anything it reads is replaced.
      const echoed = /\r\nx-request-id: ([^\r]*)/i.exec(raw)?.[1];
      if (echoed !== undefined) expect(echoed).toMatch(/^[0-9a-f-]{36}$/);
      expect(raw).not.toContain('X-Forged');
      expect(raw).not.toContain(hostile.toString('latin1'));
    }
  });

  test("every error a client sees carries it as extensions.requestId, equal to the answer's header", async () => {
    const student = newUser('STUDENT');
    const answers = await Promise.all([
      // The gateway's own validation.
      post('{ nope }'),
      // A subgraph's refusal, passed on by the gateway.
      post(PLACE_ORDER, { input: { courseId: randomUUID(), expectedPrice: price, idempotencyKey: randomUUID() } }),
      // A bad token, refused before any operation runs.
      post('{ me { id } }', {}, { authorization: 'Bearer not-a-token', 'X-Request-Id': 'report-42' }),
      // A subgraph's input check.
      post('query ($id: ID!) { course(id: $id) { id } }', { id: 'x'.repeat(300) }, bearer(stack.token(student))),
    ]);
    for (const answer of answers) {
      expect(answer.body.errors?.length).toBeGreaterThan(0);
      for (const error of answer.body.errors!) expect(error.extensions).toMatchObject({ code: expect.any(String), requestId: answer.requestId });
    }
    expect(answers[2]!.requestId).toBe('report-42');

    // A body that never reaches GraphQL.
    const malformed = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-Request-Id': 'bad-body' },
      body: '{',
    });
    expect(malformed.headers.get('x-request-id')).toBe('bad-body');
    expect(await malformed.json()).toEqual({
      errors: [{ message: 'Malformed request body.', extensions: { code: 'BAD_REQUEST', requestId: 'bad-body' } }],
    });
  });

  test('a subscription has its own id: the one in its subscribe extensions when valid, a new one otherwise; its errors carry it', async () => {
    const client = connect(stack.gatewayUrl);
    /** The errors a subscription missing its variable (BAD_USER_INPUT) ends with. */
    const refusal = (extensions?: Record<string, unknown>) =>
      new Promise<unknown>((resolve) =>
        client.subscribe(
          { query: 'subscription ($ids: [ID!]!) { seatsChanged(courseIds: $ids) { courseId } }', variables: {}, extensions },
          { next: () => undefined, error: resolve, complete: () => resolve('completed') },
        ),
      );
    try {
      const [own, made] = (await Promise.all([refusal({ 'x-request-id': 'sub-7' }), refusal({ 'x-request-id': 'no spaces allowed' })])) as {
        extensions: { code: string; requestId: string };
      }[][];
      expect(own).toEqual([expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', requestId: 'sub-7' } })]);
      expect(made![0]!.extensions.requestId).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      await client.dispose();
    }
  });

  test('with LOG_LEVEL=debug and LOG_SQL=true, no line holds the password or a token of a signed-in order', async () => {
    const password = `Secret-${randomUUID()}`;
    const email = `logs-${randomUUID().slice(0, 8)}@example.com`;
    const from = logs.entries().length;
    const registered = await post('mutation ($input: RegisterInput!) { register(input: $input) { accessToken refreshToken userErrors { code } } }', {
      input: { email, password, displayName: 'Log Reader' },
    });
    const { accessToken, refreshToken } = (registered.body.data as { register: { accessToken: string; refreshToken: string } }).register;
    const course = await createCourse(stack);
    const ordered = await post(
      PLACE_ORDER,
      { input: { courseId: course.id, expectedPrice: price, idempotencyKey: randomUUID() } },
      bearer(accessToken),
    );
    expect(ordered.body.errors).toBeUndefined();
    await settle();
    const text = since(from)
      .map((line) => JSON.stringify(line))
      .join('\n');
    expect(text).toContain(email); // the capture works: the SQL parameters were logged
    for (const secret of [password, accessToken, refreshToken]) expect(text.includes(secret)).toBe(false);
  });
});
