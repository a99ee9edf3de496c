/** Telling dependency outages from bugs, and reading the time budget header. */
import { GraphQLError } from 'graphql';
import { DependencyUnavailableError, formatError, isDependencyOutage, readBudget, SERVICE_UNAVAILABLE, type Logger } from '../src';

const pgError = (code: string) => Object.assign(new Error('database said no'), { code });
/** TypeORM wraps the driver's error as `driverError`. */
const typeormError = (code: string) => Object.assign(new Error('query failed'), { driverError: pgError(code) });

describe('isDependencyOutage', () => {
  test.each([
    ['a DependencyUnavailableError', new DependencyUnavailableError('course did not answer')],
    ['one as the cause of another error', new Error('step failed', { cause: new DependencyUnavailableError('x') })],
    ['lock_timeout (55P03) through TypeORM', typeormError('55P03')],
    ['statement_timeout (57014)', pgError('57014')],
    ['pg_terminate_backend (57P01)', pgError('57P01')],
    ['the database starting up (57P03)', pgError('57P03')],
    ['a connection failure (08006)', pgError('08006')],
    ['a deadlock PostgreSQL broke by rolling one transaction back (40P01)', typeormError('40P01')],
    ['a serialization failure (40001)', pgError('40001')],
    ['too many connections (53300)', pgError('53300')],
    ['a refused socket', pgError('ECONNREFUSED')],
    ['a database closed to connections (FATAL 55000)', Object.assign(pgError('55000'), { severity: 'FATAL' })],
    ['a lost connection', new Error('Connection terminated unexpectedly')],
    ['a pool that could not connect in time', new Error('timeout exceeded when trying to connect')],
    ['a subgraph error already coded SERVICE_UNAVAILABLE', new GraphQLError('down', { extensions: { code: SERVICE_UNAVAILABLE } })],
  ])('%s is an outage', (_name, error) => {
    expect(isDependencyOutage(error)).toBe(true);
  });

  test.each([
    ['a missing table (42P01)', typeormError('42P01')],
    ['a unique violation (23505)', pgError('23505')],
    ['an ERROR 55000 inside a session (not a lost connection)', Object.assign(pgError('55000'), { severity: 'ERROR' })],
    ['a check violation (23514)', pgError('23514')],
    ['a TypeError', new TypeError('x is undefined')],
    ['a plain message', 'boom'],
    ['null', null],
  ])('%s is a bug, not an outage', (_name, error) => {
    expect(isDependencyOutage(error)).toBe(false);
  });

  test('a cause chain that loops ends', () => {
    const a: Error & { cause?: unknown } = new Error('a');
    a.cause = a;
    expect(isDependencyOutage(a)).toBe(false);
  });
});

describe('formatError', () => {
  const silent: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
  const format = formatError(silent);

  test('an outage is SERVICE_UNAVAILABLE with retryable and a client message, nothing internal', () => {
    const original = typeormError('55P03');
    const formatted = format(
      { message: 'canceling statement due to lock timeout', path: ['placeOrder'] },
      new GraphQLError('x', { originalError: original }),
    );
    expect(formatted).toEqual({
      message: expect.stringMatching(/unavailable/i),
      path: ['placeOrder'],
      locations: undefined,
      extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true },
    });
    expect(JSON.stringify(formatted)).not.toMatch(/lock|timeout/);
  });

  test('a bug is still INTERNAL_SERVER_ERROR', () => {
    const formatted = format({ message: 'relation "orders" does not exist' }, new GraphQLError('x', { originalError: typeormError('42P01') }));
    expect(formatted).toEqual({ message: 'Internal server error', path: undefined, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });
});

describe('readBudget', () => {
  test('milliseconds from now', () => {
    expect(readBudget('1500', 1_000)).toBe(2_500);
    expect(readBudget('0', 1_000)).toBe(1_000);
  });

  test.each([undefined, '', '-1', '1.5', '1e3', 'abc', '600001', '99999999999'])('%p is ignored', (value) => {
    expect(readBudget(value, 1_000)).toBeNull();
  });
});
