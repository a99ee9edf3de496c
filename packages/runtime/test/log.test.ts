/** The logger (log.ts) and the request id it stamps on lines (request-id.ts), written to a destination the test reads. */
import { GraphQLError } from 'graphql';
import { acceptRequestId, createLogger, formatError, newRequestId, runWithRequestId, startPeriodic, type Logger } from '../src';

/** A logger for `service` writing into the returned array, one parsed object per line. */
function capture(service = 'test', level = 'debug'): { log: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const saved = process.env.LOG_LEVEL;
  process.env.LOG_LEVEL = level;
  try {
    const log = createLogger(service, { destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) } });
    return { log, lines };
  } finally {
    process.env.LOG_LEVEL = saved;
  }
}

describe('log lines', () => {
  test('are JSON with a level name, an ISO time, the service and the message, and the fields given', () => {
    const { log, lines } = capture('course');
    log.info('loaded demo catalog', { courses: 46 });
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'info',
        service: 'course',
        msg: 'loaded demo catalog',
        courses: 46,
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      }),
    ]);
    expect(lines[0]).not.toHaveProperty('requestId');
  });

  test('LOG_LEVEL drops what is below it, silent drops everything, and an unknown level is info', () => {
    const warn = capture('x', 'warn');
    for (const method of ['debug', 'info', 'warn', 'error'] as const) warn.log[method](method);
    expect(warn.lines.map((line) => line.level)).toEqual(['warn', 'error']);
    const silent = capture('x', 'silent');
    silent.log.error('nothing');
    expect(silent.lines).toEqual([]);
    const unknown = capture('x', 'chatty');
    unknown.log.debug('hidden');
    unknown.log.info('shown');
    expect(unknown.lines.map((line) => line.msg)).toEqual(['shown']);
  });

  test('an error field is serialised with its type, message, stack and cause', () => {
    const { log, lines } = capture();
    log.error('internal error', { error: new TypeError('boom', { cause: new Error('root cause') }) });
    expect(lines[0]!.error).toMatchObject({
      type: 'TypeError',
      message: 'boom',
      stack: expect.stringContaining('TypeError: boom'),
      cause: { type: 'Error', message: 'root cause' },
    });
  });

  test('passwords, tokens, secrets, credentials and query parameters of a logged error are redacted, up to two levels deep', () => {
    const { log, lines } = capture();
    const secret = `s3cret-${newRequestId()}`;
    log.warn('everything a careless caller might pass', {
      password: secret,
      input: { password: secret, refreshToken: secret, accessToken: secret, token: secret },
      variables: { input: { password: secret } },
      headers: { authorization: `Bearer ${secret}`, cookie: secret, 'x-coursegraph-identity': secret, 'x-coursegraph-service': secret },
      config: { secret },
      error: Object.assign(new Error('duplicate key'), { query: 'INSERT INTO "app_user" ...', parameters: ['a@b.c', `scrypt$${secret}`] }),
    });
    const text = JSON.stringify(lines);
    expect(text).not.toContain(secret);
    expect(lines[0]).toMatchObject({
      password: '[Redacted]',
      headers: { authorization: '[Redacted]' },
      error: { message: 'duplicate key', parameters: '[Redacted]' },
    });
  });
});

describe('request ids', () => {
  test('every line made while a request is handled carries its id, across awaits and timers; none outside', async () => {
    const { log, lines } = capture();
    await runWithRequestId('req-1', async () => {
      log.info('first');
      await new Promise((resolve) => setTimeout(resolve, 5));
      log.info('after a timer');
    });
    log.info('outside');
    expect(lines.map((line) => [line.msg, line.requestId])).toEqual([
      ['first', 'req-1'],
      ['after a timer', 'req-1'],
      ['outside', undefined],
    ]);
  });

  test("a caller's id is kept only when it is 1-128 characters of [A-Za-z0-9._:-]; otherwise a UUID is made", () => {
    expect(acceptRequestId('abc-DEF_1.2:3')).toBe('abc-DEF_1.2:3');
    expect(acceptRequestId('a'.repeat(128))).toBe('a'.repeat(128));
    for (const hostile of ['', 'a'.repeat(129), 'a b', 'a\nb', 'caf\u00e9', '{"msg":1}', ['a', 'b'], undefined]) {
      expect(acceptRequestId(hostile)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });

  test('formatError puts the current id on every error it returns, and logs the masked one with it', () => {
    const { log, lines } = capture();
    const format = formatError(log);
    const client = new GraphQLError('Sign in to do this.', { extensions: { code: 'UNAUTHENTICATED' } });
    const bug = new Error('secret internals');
    runWithRequestId('req-2', () => {
      expect(format(client.toJSON(), client).extensions).toEqual({ code: 'UNAUTHENTICATED', requestId: 'req-2' });
      expect(format({ message: bug.message }, bug).extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', requestId: 'req-2' });
    });
    expect(lines.map((line) => [line.msg, line.requestId])).toEqual([['internal error', 'req-2']]);
  });

  test('each run of a periodic job has its own id', async () => {
    const { log, lines } = capture();
    const job = startPeriodic('job', 0.01, async () => 1, log);
    while (lines.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    await job.stop();
    const ids = lines.map((line) => line.requestId);
    expect(ids[0]).toEqual(expect.any(String));
    expect(ids[1]).toEqual(expect.any(String));
    expect(ids[0]).not.toBe(ids[1]);
  });
});
