/**
 * Cursor connections, the same way in every subgraph: lists are ordered by
 * (created_at, id) and a cursor is the opaque base64url of "createdAt|id".
 */
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
