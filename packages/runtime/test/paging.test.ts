/** Cursors: only what toConnection hands out is accepted back. */
import { GraphQLError } from 'graphql';
import { decodeCursor, encodeCursor } from '../src';

const ID = 'c0c00001-0000-4000-8000-000000000000';
const raw = (text: string) => Buffer.from(text).toString('base64url');

test('a cursor made by encodeCursor decodes to its position, at either end of years 0000-9999', () => {
  for (const iso of ['2026-11-30T01:02:03.456Z', '0000-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z']) {
    const position = { createdAt: new Date(iso), id: ID };
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
  }
});

test.each([
  ['a year before 0000 (PostgreSQL: timestamp out of range)', raw(`-100000-01-01T00:00:00.000Z|${ID}`)],
  ['a year before PostgreSQL’s first (4714 BC)', raw(`-004714-01-01T00:00:00.000Z|${ID}`)],
  ['a six-digit year after 9999', raw(`+275760-09-13T00:00:00.000Z|${ID}`)],
  ['a date without time', raw(`2026-11-30|${ID}`)],
  ['a time with an offset instead of Z', raw(`2026-11-30T01:02:03.456+01:00|${ID}`)],
  ['a day that does not exist', raw(`2026-02-30T00:00:00.000Z|${ID}`)],
  ['a number of milliseconds', raw(`0|${ID}`)],
  ['an upper-case id', raw(`2026-11-30T01:02:03.456Z|${ID.toUpperCase()}`)],
  ['an id that is not a UUID', raw(`2026-11-30T01:02:03.456Z|1' OR '1'='1`)],
  ['a third part', raw(`2026-11-30T01:02:03.456Z|${ID}|x`)],
  ['standard base64 with padding', Buffer.from(`2026-11-30T01:02:03.456Z|${ID}`).toString('base64')],
  ['not base64 at all', 'cursor\u0000'],
  ['nothing', ''],
])('%s is refused as BAD_USER_INPUT', (_name, cursor) => {
  let error: unknown;
  try {
    decodeCursor(cursor);
  } catch (thrown) {
    error = thrown;
  }
  expect(error).toBeInstanceOf(GraphQLError);
  expect((error as GraphQLError).extensions.code).toBe('BAD_USER_INPUT');
  expect((error as GraphQLError).message).toBe('`after` is not a cursor returned by this API.');
});
