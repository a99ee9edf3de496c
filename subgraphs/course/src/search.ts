/**
 * The catalog's `courses(search, filter, sort, first, after)`: full-text
 * search, filters and sorts over the course table, keyset-paginated (no
 * OFFSET) for every sort, with a lazily counted `totalCount`.
 *
 * - Search: PostgreSQL full-text search on the generated `search_vector`
 *   (title weight A, description weight B, English word forms; migration
 *   AddCourseSearch) with a GIN index. A course matches the query as
 *   `websearch_to_tsquery` reads it ("quoted phrases", or), or every word as
 *   a prefix ("kube" finds "Kubernetes"); never with a -excluded word.
 * - Sorts order by one key, ties broken by id in the same direction, so a
 *   cursor (the last row's key and id) names a position that stays put while
 *   other rows are inserted or edited. RELEVANCE is `ts_rank_cd` (a title
 *   match ranks above a description match) and needs `search`.
 * - A cursor carries a fingerprint of the sort, search and filter it was made
 *   for; used with any other, it is refused. Every bad argument is a
 *   BAD_USER_INPUT GraphQL error, and nothing is queried.
 */
import type { DataSource } from 'typeorm';
import {
  badInput,
  checkPageSize,
  cursorTag,
  decodeTupleCursor,
  encodeTupleCursor,
  isCleanText,
  isCursorId,
  isCursorTime,
  type Viewer,
} from '@coursegraph/runtime';
import { Course } from './entities/course';
import {
  applyFilter,
  categoryFacets,
  normalizeSearch,
  resolveFilter,
  SEARCH_QUERY,
  type CatalogFilter,
  type CategoryFacet,
  type ResolvedFilter,
} from './search-filter';

export type CourseSort = 'NEWEST' | 'OLDEST' | 'PRICE_ASC' | 'PRICE_DESC' | 'TITLE' | 'POPULAR' | 'SEATS_LEFT' | 'RELEVANCE';

export type { CatalogFilter } from './search-filter';

export interface CatalogQuery {
  search?: string | null;
  filter?: CatalogFilter | null;
  sort?: CourseSort | null;
  first: number;
  after?: string | null;
}

interface SortSpec {
  /** The SQL expression sorted on (`course` is the table alias; `rank` the relevance). */
  key: string;
  direction: 'ASC' | 'DESC';
  /** The SQL type the cursor's key is compared as. */
  type: 'timestamptz' | 'integer' | 'text' | 'real';
}

const RANK = `ts_rank_cd(course.search_vector, ${SEARCH_QUERY})`;

const SORTS: Record<CourseSort, SortSpec> = {
  NEWEST: { key: 'course.created_at', direction: 'DESC', type: 'timestamptz' },
  OLDEST: { key: 'course.created_at', direction: 'ASC', type: 'timestamptz' },
  PRICE_ASC: { key: 'course.price_amount', direction: 'ASC', type: 'integer' },
  PRICE_DESC: { key: 'course.price_amount', direction: 'DESC', type: 'integer' },
  TITLE: { key: 'lower(course.title)', direction: 'ASC', type: 'text' },
  POPULAR: { key: 'course.seats_sold', direction: 'DESC', type: 'integer' },
  SEATS_LEFT: { key: 'course.seats_available', direction: 'DESC', type: 'integer' },
  RELEVANCE: { key: RANK, direction: 'DESC', type: 'real' },
};

/** A page of the catalog: Relay edges and page info, and the number of all matches (counted only when asked). */
export interface CourseConnection {
  edges: { cursor: string; node: Course }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: () => Promise<number>;
}

/** The cursor's fingerprint of what a page was made for: sort, search and filter. */
function fingerprint(sort: CourseSort, search: string | null, filter: ResolvedFilter): string {
  const canonical = JSON.stringify([
    sort,
    search,
    filter.instructorId ?? null,
    filter.minPrice ?? null,
    filter.maxPrice ?? null,
    filter.currency ?? null,
    !!filter.seatsAvailable,
    [...(filter.statuses ?? ['PUBLISHED'])].sort(),
    filter.categories,
  ]);
  return cursorTag(canonical);
}

const encode = (key: string | number, id: string, print: string) => encodeTupleCursor([key, id, print]);

/**
 * Whether a cursor's key is one this API could have written for a sort key
 * of that SQL type, so that the CAST in the keyset condition cannot fail: an
 * int4 for counts and prices; a float4-sized number for a rank; a real time
 * as toISOString writes it; clean text no longer than a lower-cased title.
 */
const KEY_CHECKS: Record<SortSpec['type'], (key: unknown) => boolean> = {
  integer: (key) => Number.isSafeInteger(key) && (key as number) >= -(2 ** 31) && (key as number) < 2 ** 31,
  real: (key) => typeof key === 'number' && Number.isFinite(key) && (key === 0 || (Math.abs(key) >= 1e-30 && Math.abs(key) <= 1e30)),
  timestamptz: isCursorTime,
  text: (key) => typeof key === 'string' && key.length <= 400 && isCleanText(key),
};

/** The position an `after` cursor names; BAD_USER_INPUT unless this API made it for this very sort, search and filter. */
function decode(after: string, spec: SortSpec, print: string): { key: string | number; id: string } {
  const [key, id, madeFor] = decodeTupleCursor(after, 3) ?? [];
  if (!KEY_CHECKS[spec.type](key) || !isCursorId(id) || typeof madeFor !== 'string') {
    throw badInput('`after` is not a cursor returned by this API.');
  }
  if (madeFor !== print) throw badInput('`after` was made for another sort, search or filter: start again without it.');
  return { key: key as string | number, id };
}

/**
 * courses(...): one page of the catalog for `viewer`. Throws BAD_USER_INPUT
 * for a bad argument (page size, search length or words, ids, price range,
 * a cursor from elsewhere, RELEVANCE without search) and FORBIDDEN for
 * unpublished statuses the viewer may not list.
 */
export async function searchCourses(dataSource: DataSource, viewer: Viewer | null, args: CatalogQuery): Promise<CourseConnection> {
  checkPageSize(args.first);
  const search = normalizeSearch(args.search);
  const sort = args.sort ?? (search !== null ? 'RELEVANCE' : 'OLDEST');
  if (sort === 'RELEVANCE' && search === null) throw badInput('Sort RELEVANCE needs `search`.');
  const filter = await resolveFilter(dataSource, args.filter ?? {}, viewer);
  const spec = SORTS[sort];
  const print = fingerprint(sort, search, filter);
  const position = args.after ? decode(args.after, spec, print) : null;

  const base = () => {
    const query = dataSource.getRepository(Course).createQueryBuilder('course');
    applyFilter(query, filter, search);
    return query;
  };
  const page = base()
    .addSelect(spec.key, 'sort_key')
    .orderBy(spec.key, spec.direction)
    .addOrderBy('course.id', spec.direction)
    .limit(args.first + 1);
  if (position) {
    page.andWhere(`(${spec.key}, course.id) ${spec.direction === 'ASC' ? '>' : '<'} (CAST(:afterKey AS ${spec.type}), :afterId)`, {
      afterKey: position.key,
      afterId: position.id,
    });
  }
  const { entities, raw } = await page.getRawAndEntities<{ sort_key: string | number | Date }>();
  const keyOf = (index: number): string | number => {
    const value = raw[index]!.sort_key;
    if (value instanceof Date) return value.toISOString();
    return spec.type === 'integer' || spec.type === 'real' ? Number(value) : String(value);
  };
  const rows = entities.slice(0, args.first);
  const edges = rows.map((node, index) => ({ cursor: encode(keyOf(index), node.id, print), node }));
  let counted: Promise<number> | undefined;
  return {
    edges,
    pageInfo: { hasNextPage: entities.length > args.first, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount: () => (counted ??= base().getCount()),
  };
}

/** courseFacets(search, filter): see categoryFacets; the same argument checks as searchCourses. */
export async function searchFacets(
  dataSource: DataSource,
  viewer: Viewer | null,
  args: { search?: string | null; filter?: CatalogFilter | null },
): Promise<CategoryFacet[]> {
  const search = normalizeSearch(args.search);
  return categoryFacets(dataSource, await resolveFilter(dataSource, args.filter ?? {}, viewer), search);
}
