/**
 * Cursor connections, the same way in every subgraph: lists are ordered by
 * (created_at, id) and a cursor is the opaque base64url of "createdAt|id".
 */
import { createHash } from 'node:crypto';
import { badInput } from './errors';
import { isUuid } from './identity';

export const MAX_PAGE_SIZE = 100;

export interface Position {
  createdAt: Date;
  id: string;
}

/** The opaque cursor of a row: base64url of "createdAt|id", createdAt as `toISOString` writes it. */
export const encodeCursor = ({ createdAt, id }: Position): string => Buffer.from(`${createdAt.toISOString()}|${id}`).toString('base64url');

// What toISOString writes for years 0000-9999; other years get a sign and six digits, and PostgreSQL refuses some of them.
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * The position a cursor names; throws BAD_USER_INPUT unless the cursor is
 * exactly one `encodeCursor` makes (a real time in years 0000-9999, a
 * lower-case UUID, nothing else), so no crafted value reaches the database.
 */
export function decodeCursor(cursor: string): Position {
  const [createdAt = '', id = '', extra] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = new Date(createdAt);
  const valid =
    extra === undefined &&
    ISO_TIME.test(createdAt) &&
    isUuid(id) &&
    id === id.toLowerCase() &&
    !Number.isNaN(date.getTime()) &&
    // Re-encoding gives the cursor back only for a real date (not 2024-02-30) and the one spelling we write.
    encodeCursor({ createdAt: date, id }) === cursor;
  if (!valid) throw badInput('`after` is not a cursor returned by this API.');
  return { createdAt: date, id };
}

/** Throws BAD_USER_INPUT unless `first` is a page size from 1 to MAX_PAGE_SIZE. */
export function checkPageSize(first: number): void {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw badInput(`\`first\` must be from 1 to ${MAX_PAGE_SIZE}.`);
  }
}

/** A connection from `first + 1` rows fetched in order: the extra row only says whether more follow. */
export function toConnection<T extends Position>(rows: T[], first: number) {
  const page = rows.slice(0, first);
  return {
    edges: page.map((node) => ({ cursor: encodeCursor(node), node })),
    pageInfo: { hasNextPage: rows.length > first, endCursor: page.length ? encodeCursor(page[page.length - 1]!) : null },
  };
}

/*
 * Keyset cursors for lists ordered by other keys than (created_at, id): the
 * position is a JSON array of the row's sort key(s) and id, and maybe a tag of
 * what the page was made for, base64url-encoded.
 */

/** The opaque cursor of a position: base64url of the JSON array `parts`. */
export const encodeTupleCursor = (parts: readonly unknown[]): string => Buffer.from(JSON.stringify(parts)).toString('base64url');

/**
 * The parts of a cursor encodeTupleCursor made of `length` parts, spelled
 * exactly as it spells them; null for anything else. Each part is still
 * client input: the caller checks its type and range before using it.
 */
export function decodeTupleCursor(cursor: string, length: number): unknown[] | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  return Array.isArray(parsed) && parsed.length === length && encodeTupleCursor(parsed) === cursor ? parsed : null;
}

/** Whether a cursor part is an id as cursors carry it: a lower-case UUID. */
export const isCursorId = (value: unknown): value is string => typeof value === 'string' && isUuid(value) && value === value.toLowerCase();

/** Whether a cursor part is a time as toISOString writes it (years 0000-9999), the form of a timestamptz(3) key. */
export const isCursorTime = (value: unknown): value is string =>
  typeof value === 'string' && ISO_TIME.test(value) && !Number.isNaN(Date.parse(value)) && new Date(value).toISOString() === value;

/** A short digest (16 base64url characters) of what a page was made for (its search, filter, sort), carried in its cursors. */
export const cursorTag = (madeFor: string): string => createHash('sha256').update(madeFor).digest('base64url').slice(0, 16);
