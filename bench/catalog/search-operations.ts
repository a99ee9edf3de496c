/**
 * What the search scenario asks through the gateway: a page of PAGE courses
 * with fields from all three subgraphs (course: id, title, price,
 * seatsAvailable, categories; accounts: the instructor's displayName; order:
 * enrollmentCount) and totalCount, as SEARCH_VARIANTS distinct requests (a
 * topic word of a category, that category and another by slug or by id, a
 * USD price range, seats left; sorted PRICE_ASC or POPULAR) taken in turn;
 * and the baseline, the same page and selection without search or filter in
 * the default sort, also as distinct requests (the first page, then pages
 * after the first courses), so neither is flattered by the gateway sharing
 * identical requests in flight. Every body's answer is checked before it is
 * measured.
 */
import { CURSORS, post, type Target } from './operations';
import { PAGE } from './options';
import type { SearchCatalog } from './search-data';

export const SEARCH = `query Search($first: Int!, $after: String, $search: String, $filter: CourseFilter, $sort: CourseSort) { courses(first: $first, after: $after, search: $search, filter: $filter, sort: $sort) { totalCount edges { node { id title price { amount currency } seatsAvailable categories { slug name } instructor { displayName } enrollmentCount } } pageInfo { hasNextPage endCursor } } }`;
const COUNT = `query SearchCount($search: String) { courses(first: 1, search: $search) { totalCount } }`;

/** Distinct search requests taken in turn. */
export const SEARCH_VARIANTS = 24;
/** The price range of every search filter, USD cents (8 of the 12 price points). */
export const PRICE_RANGE = { minPrice: 1999, maxPrice: 12999 };

export interface SearchVariables {
  first: number;
  after?: string;
  search?: string;
  filter?: { categorySlugs?: string[]; categoryIds?: string[]; minPrice: number; maxPrice: number; currency: string; seatsAvailable: boolean };
  sort?: 'PRICE_ASC' | 'POPULAR';
}

/** The i-th search: the (i mod 6)-th topic word of category 7i mod 30, in it or the next category. */
export function searchVariables(catalog: SearchCatalog, index: number, first = PAGE, withSearch = true): SearchVariables {
  const { categories } = catalog;
  const category = categories[(index * 7) % categories.length]!;
  const next = categories[(index * 7 + 1) % categories.length]!;
  const byId = Math.floor(index / 2) % 2 === 1;
  return {
    first,
    ...(withSearch ? { search: category.topics[index % category.topics.length]! } : {}),
    filter: {
      ...(byId ? { categoryIds: [category.id, next.id] } : { categorySlugs: [category.slug, next.slug] }),
      ...PRICE_RANGE,
      currency: 'USD',
      seatsAvailable: true,
    },
    sort: index % 2 === 0 ? 'PRICE_ASC' : 'POPULAR',
  };
}

/** The search target and the baseline target, on the gateway at `gatewayUrl`. */
export async function searchTargets(gatewayUrl: string, catalog: SearchCatalog): Promise<{ search: Target; baseline: Target }> {
  const bodyOf = (variables: SearchVariables) => JSON.stringify({ query: SEARCH, variables });
  const searches = Array.from({ length: SEARCH_VARIANTS }, (_, index) => bodyOf(searchVariables(catalog, index)));
  const page = await post(gatewayUrl, JSON.stringify({ query: CURSORS, variables: { after: null } }));
  const cursors = (page.data!.courses as { edges: { cursor: string }[] }).edges.map((edge) => edge.cursor);
  const pages = [bodyOf({ first: PAGE }), ...cursors.slice(0, SEARCH_VARIANTS - 1).map((after) => bodyOf({ first: PAGE, after }))];
  return {
    search: { name: 'search', label: 'search + filter + sort', url: gatewayUrl, body: searches[0]!, bodies: searches },
    baseline: { name: 'baseline', label: 'baseline: no search, no filter', url: gatewayUrl, body: pages[0]!, bodies: pages },
  };
}

interface Node {
  id: string;
  title: string;
  price: { amount: number; currency: string };
  seatsAvailable: number;
  categories: { slug: string; name: string }[];
  instructor: { displayName: string };
  enrollmentCount: number;
}

/** Why a node is not what was asked, or null. */
function wrongNode(node: Node, filter: SearchVariables['filter'], slugs: Set<string>): string | null {
  if (!node.id || !node.title || !node.instructor?.displayName || typeof node.enrollmentCount !== 'number') return 'a field is missing';
  if (!node.categories?.length || node.categories.some((c) => !c.slug || !c.name)) return 'no categories';
  if (!filter) return null;
  if (node.price.currency !== 'USD' || node.price.amount < filter.minPrice || node.price.amount > filter.maxPrice) return 'price outside the filter';
  if (!(node.seatsAvailable > 0)) return 'sold out';
  return node.categories.some((c) => slugs.has(c.slug)) ? null : 'not in a filtered category';
}

/** Throws unless every body of `target` answers PAGE full courses matching its filter, and a totalCount of at least PAGE. */
export async function checkSearchTarget(target: Target, catalog: SearchCatalog): Promise<void> {
  for (const body of target.bodies ?? [target.body]) {
    const { variables } = JSON.parse(body) as { variables: SearchVariables };
    const result = await post(target.url, body);
    const courses = result.data?.courses as { totalCount: number; edges: { node: Node }[] } | undefined;
    if (result.errors || !courses) throw new Error(`${target.name} ${JSON.stringify(variables)}: ${JSON.stringify(result).slice(0, 500)}`);
    const ids = new Set([...(variables.filter?.categoryIds ?? []), ...(variables.filter?.categorySlugs ?? [])]);
    const slugs = new Set(catalog.categories.filter((c) => ids.has(c.id) || ids.has(c.slug)).map((c) => c.slug));
    const wrong = courses.edges.map((edge) => wrongNode(edge.node, variables.filter, slugs)).find((why) => why !== null);
    if (courses.edges.length !== PAGE || courses.totalCount < PAGE || wrong)
      throw new Error(
        `${target.name} ${JSON.stringify(variables)}: ${courses.edges.length} edges, totalCount ${courses.totalCount}${wrong ? `, ${wrong}` : ''}`,
      );
  }
}

/** Per search word of the variants: the share of the catalog it matches alone, in % of the courses (1 decimal). */
export async function searchSelectivity(gatewayUrl: string, catalog: SearchCatalog): Promise<Record<string, number>> {
  const shares: Record<string, number> = {};
  for (let index = 0; index < SEARCH_VARIANTS; index++) {
    const search = searchVariables(catalog, index).search!;
    const result = await post(gatewayUrl, JSON.stringify({ query: COUNT, variables: { search } }));
    const total = (result.data?.courses as { totalCount: number }).totalCount;
    shares[search] = Math.round((1000 * total) / catalog.courses.length) / 10;
  }
  return shares;
}
