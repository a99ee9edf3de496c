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

export const encodeCursor = ({ createdAt, id }: Position): string =>
  Buffer.from(`${createdAt.toISOString()}|${id}`).toString('base64url');

export function decodeCursor(cursor: string): Position {
  const [createdAt, id, extra] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = new Date(createdAt ?? '');
  if (extra !== undefined || !id || !isUuid(id) || Number.isNaN(date.getTime())) {
    throw badInput('`after` is not a cursor returned by this API.');
  }
  return { createdAt: date, id };
}

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
