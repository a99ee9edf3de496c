/**
 * Users as anyone may look them up: one by id (`user(id)`) and the list of
 * instructors (`instructors(first, after, search)`). Which fields of a user a
 * caller sees is the User resolvers' rule (email: self and admins only).
 */
import type { DataSource } from 'typeorm';
import { badInput, checkId, checkPageSize, cursorTag, decodeTupleCursor, encodeTupleCursor, isCleanText, isCursorId } from '@coursegraph/runtime';
import { User } from './entities/user';

/** The longest `search` instructors accepts, in characters (after trimming). */
export const MAX_SEARCH = 100;

/** Looks a user up by id, batched (the request's DataLoader). */
export interface UserLookup {
  load(id: string): Promise<User | null>;
}

/** user(id): the user, or null when there is none. Throws BAD_USER_INPUT for an id that is not a UUID. */
export function findUser(users: UserLookup, id: string): Promise<User | null> {
  if (checkId(id, 'id')) throw badInput('`id` is not a valid user id.');
  return users.load(id);
}

/** A page of instructors: `{ edges: [{ cursor, node: User }], pageInfo: { hasNextPage, endCursor } }`. */
export interface UserConnection {
  edges: { cursor: string; node: User }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

interface Position {
  displayName: string;
  id: string;
}

/** The opaque cursor of a user in the list for `search` (trimmed, lower case; '' for none): `[displayName, id, tag of search]`. */
const encodeCursor = ({ displayName, id }: Position, search: string) => encodeTupleCursor([displayName, id, cursorTag(search)]);

/**
 * The position a cursor names. Throws BAD_USER_INPUT unless the cursor is
 * exactly one encodeCursor made (a display name of clean text, a lower-case
 * UUID), and for a cursor made for another search.
 */
function decodeCursor(cursor: string, search: string): Position {
  const [displayName, id, tag] = decodeTupleCursor(cursor, 3) ?? [];
  // The cursor itself passed the text check as base64url; what it decodes to has not (PostgreSQL refuses NUL).
  if (typeof displayName !== 'string' || displayName.length > 100 || !isCleanText(displayName) || !isCursorId(id) || typeof tag !== 'string') {
    throw badInput('`after` is not a cursor returned by this API.');
  }
  if (tag !== cursorTag(search)) throw badInput('`after` was made for another `search`; start again without it.');
  return { displayName, id };
}

/** A LIKE pattern matching `text` anywhere, its wildcards and the escape character taken literally. */
const containing = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * instructors(first, after, search): users with the INSTRUCTOR role ordered
 * by display name, then id, as a keyset-paged connection (no OFFSET: the
 * next page starts after the cursor's (display name, id), so users added or
 * renamed meanwhile never repeat one). `search`, trimmed, keeps users whose
 * display name or headline contains it, ignoring case; blank means all.
 * Throws BAD_USER_INPUT for `first` outside 1..100, a search longer than
 * MAX_SEARCH, and a cursor that is malformed or from another search.
 */
export async function listInstructors(
  dataSource: DataSource,
  first: number,
  after: string | null | undefined,
  search: string | null | undefined,
): Promise<UserConnection> {
  checkPageSize(first);
  const term = (search ?? '').trim();
  if (term.length > MAX_SEARCH) throw badInput(`\`search\` must be at most ${MAX_SEARCH} characters.`);
  const key = term.toLowerCase();
  const query = dataSource
    .getRepository(User)
    .createQueryBuilder('u')
    // The predicate of the partial index app_user_instructors, written the same way.
    .where(`'INSTRUCTOR' = ANY (u.roles)`)
    .orderBy('u.displayName', 'ASC')
    .addOrderBy('u.id', 'ASC')
    .limit(first + 1);
  if (key) query.andWhere('(u.displayName ILIKE :pattern OR u.headline ILIKE :pattern)', { pattern: containing(key) });
  if (after) query.andWhere('(u.displayName, u.id) > (:displayName, :id)', decodeCursor(after, key));
  const rows = await query.getMany();
  const page = rows.slice(0, first);
  const edges = page.map((node) => ({ cursor: encodeCursor(node, key), node }));
  return { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.length ? edges[edges.length - 1]!.cursor : null } };
}
