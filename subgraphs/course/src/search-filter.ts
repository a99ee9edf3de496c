/**
 * What narrows the catalog (search.ts): the search words and the filter,
 * checked before anything is queried, then applied to a course query; and
 * the category facet counts a storefront draws its filters with.
 *
 * Every bad argument is a BAD_USER_INPUT GraphQL error naming it; listing
 * unpublished statuses is FORBIDDEN except to admins and to an instructor
 * filtering on their own courses.
 */
import type { DataSource, SelectQueryBuilder } from 'typeorm';
import { badInput, checkId, forbidden, isSelfOrAdmin, type Viewer } from '@coursegraph/runtime';
import { MAX_PRICE_MINOR_UNITS } from '@coursegraph/domain';
import { checkSlug } from './categories';
import { Category } from './entities/category';
import type { Course, CourseStatus } from './entities/course';

export interface CatalogFilter {
  instructorId?: string | null;
  /** Any of these categories, by id or by slug (the union of both lists). */
  categoryIds?: readonly string[] | null;
  categorySlugs?: readonly string[] | null;
  /** Price range in minor units of `currency`, both ends included. */
  minPrice?: number | null;
  maxPrice?: number | null;
  currency?: string | null;
  /** Only courses with a seat left. */
  seatsAvailable?: boolean | null;
  /** Statuses other than PUBLISHED: admins, or an instructor filtering on their own courses. */
  statuses?: readonly CourseStatus[] | null;
}

/** A checked filter, its categories resolved to ids (null: any category). */
export interface ResolvedFilter extends CatalogFilter {
  categories: string[] | null;
}

/** The longest search accepted, in characters; the most words used; the most categories a filter names. */
export const MAX_SEARCH_LENGTH = 200;
const MAX_SEARCH_WORDS = 10;
const MAX_FILTER_CATEGORIES = 20;

/** The search as used: trimmed, null when blank. Throws BAD_USER_INPUT when over-long or without a word. */
export function normalizeSearch(search: string | null | undefined): string | null {
  const trimmed = search?.trim() || null;
  if (trimmed === null) return null;
  if (trimmed.length > MAX_SEARCH_LENGTH) throw badInput(`\`search\` must be at most ${MAX_SEARCH_LENGTH} characters.`);
  searchTerms(trimmed);
  return trimmed;
}

/**
 * The tsquery a search is matched with, as SQL over the parameters `search`,
 * `prefixes` and `exclusions`: what `websearch_to_tsquery` reads, or every
 * word as a prefix, and in either case none of the -excluded words. An empty
 * tsquery (no prefixes, no exclusions) leaves the other operand as it is.
 */
export const SEARCH_QUERY = "((websearch_to_tsquery('english', :search) || to_tsquery('english', :prefixes)) && to_tsquery('english', :exclusions))";

/**
 * The words of a search as to_tsquery text: the words to find, each as a
 * prefix (`kube:*`), and the words written with a leading "-", each excluded
 * (`!java`). Letters and digits only reach to_tsquery; "or" is web search's
 * operator, not a word. Throws BAD_USER_INPUT when the search has no word.
 */
export function searchTerms(search: string): { search: string; prefixes: string; exclusions: string } {
  const found = [...search.toLowerCase().matchAll(/(^|[^\p{L}\p{N}])(-?)([\p{L}\p{N}]+)/gu)];
  if (found.length === 0) throw badInput('`search` must contain a letter or a digit.');
  const words = found
    .slice(0, MAX_SEARCH_WORDS)
    .map(([, before, minus, word]) => ({ word: word!, excluded: minus === '-' && !/[\p{L}\p{N}]/u.test(before!) }));
  const wanted = words.filter(({ word, excluded }) => !excluded && word !== 'or').map(({ word }) => `${word}:*`);
  const excluded = words.filter(({ excluded }) => excluded).map(({ word }) => `!${word}`);
  return { search, prefixes: wanted.join(' & '), exclusions: excluded.join(' & ') };
}

function checkFilter(filter: CatalogFilter, viewer: Viewer | null): void {
  if (filter.instructorId != null && checkId(filter.instructorId, 'filter.instructorId')) throw badInput('`filter.instructorId` is not a valid id.');
  for (const [name, value] of [
    ['minPrice', filter.minPrice],
    ['maxPrice', filter.maxPrice],
  ] as const) {
    if (value != null && (!Number.isSafeInteger(value) || value < 0 || value > MAX_PRICE_MINOR_UNITS)) {
      throw badInput(`\`filter.${name}\` must be a whole number of minor units from 0 to ${MAX_PRICE_MINOR_UNITS}.`);
    }
  }
  if (filter.minPrice != null && filter.maxPrice != null && filter.minPrice > filter.maxPrice) {
    throw badInput('`filter.minPrice` must not be above `filter.maxPrice`.');
  }
  if (filter.currency != null && !/^[A-Z]{3}$/.test(filter.currency)) throw badInput('`filter.currency` must be an ISO 4217 code such as USD.');
  if ((filter.minPrice != null || filter.maxPrice != null) && filter.currency == null) {
    throw badInput('A price range needs `filter.currency`: prices in different currencies do not compare.');
  }
  const unpublished = (filter.statuses ?? []).some((status) => status !== 'PUBLISHED');
  const own = filter.instructorId != null && isSelfOrAdmin(viewer, filter.instructorId);
  if (unpublished && !own && !viewer?.roles.includes('ADMIN')) {
    throw forbidden('Drafts and archived courses are listed only for admins, or for an instructor filtering on their own courses.');
  }
}

/** The filter's categories as ids; throws BAD_USER_INPUT for a malformed or unknown one, or too many. */
async function resolveCategories(dataSource: DataSource, filter: CatalogFilter): Promise<string[] | null> {
  const ids = [...new Set(filter.categoryIds ?? [])];
  // Slugs are lower-case; category(slug:) reads them in any letter case, and so does the filter.
  const slugs = [...new Set((filter.categorySlugs ?? []).map((slug) => slug.toLowerCase()))];
  if (ids.length === 0 && slugs.length === 0) return null;
  if (ids.length + slugs.length > MAX_FILTER_CATEGORIES) throw badInput(`A filter names at most ${MAX_FILTER_CATEGORIES} categories.`);
  const badId = ids.find((id) => checkId(id, 'filter.categoryIds'));
  if (badId !== undefined) throw badInput(`"${badId.slice(0, 40)}" is not a valid category id.`);
  const badSlug = slugs.find((slug) => checkSlug(slug, 'filter.categorySlugs'));
  if (badSlug !== undefined) throw badInput(`"${badSlug.slice(0, 60)}" is not a valid category slug.`);
  const found = await dataSource
    .getRepository(Category)
    .createQueryBuilder('category')
    .select(['category.id', 'category.slug'])
    .where('category.id IN (:...ids) OR category.slug IN (:...slugs)', { ids: ids.length ? ids : [null], slugs: slugs.length ? slugs : [null] })
    .getMany();
  const unknown = [...ids.filter((id) => !found.some((c) => c.id === id)), ...slugs.filter((slug) => !found.some((c) => c.slug === slug))];
  if (unknown.length) throw badInput(`No category ${unknown.map((name) => `"${name}"`).join(', ')}.`);
  return [...new Set(found.map((category) => category.id))].sort();
}

/** Checks the filter for `viewer` and resolves its categories. Throws as the module docstring says. */
export async function resolveFilter(dataSource: DataSource, filter: CatalogFilter, viewer: Viewer | null): Promise<ResolvedFilter> {
  checkFilter(filter, viewer);
  return { ...filter, categories: await resolveCategories(dataSource, filter) };
}

/** Restricts `query` (alias `course`) to the filter and the search; `withCategories: false` leaves the categories out (facets). */
export function applyFilter(query: SelectQueryBuilder<Course>, filter: ResolvedFilter, search: string | null, withCategories = true): void {
  query.where('course.status IN (:...statuses)', { statuses: filter.statuses?.length ? [...new Set(filter.statuses)] : ['PUBLISHED'] });
  if (filter.instructorId != null) query.andWhere('course.instructor_id = :instructorId', { instructorId: filter.instructorId });
  if (filter.currency != null) query.andWhere('course.price_currency = :currency', { currency: filter.currency });
  if (filter.minPrice != null) query.andWhere('course.price_amount >= :minPrice', { minPrice: filter.minPrice });
  if (filter.maxPrice != null) query.andWhere('course.price_amount <= :maxPrice', { maxPrice: filter.maxPrice });
  if (filter.seatsAvailable) query.andWhere('course.seats_available > 0');
  if (withCategories && filter.categories) {
    query.andWhere('EXISTS (SELECT 1 FROM course_category link WHERE link.course_id = course.id AND link.category_id IN (:...categories))', {
      categories: filter.categories,
    });
  }
  if (search !== null) {
    query.andWhere(`course.search_vector @@ ${SEARCH_QUERY}`, searchTerms(search));
  }
}

/** One category facet: how many courses of the category match. */
export interface CategoryFacet {
  category: Category;
  count: number;
}

/**
 * courseFacets: every category (by name, then id) with how many courses
 * match the search and the filter, the filter's own categories left out (so a
 * storefront shows what choosing another category would give). One query for
 * the counts, one for the categories.
 */
export async function categoryFacets(dataSource: DataSource, filter: ResolvedFilter, search: string | null): Promise<CategoryFacet[]> {
  const counting = dataSource.createQueryBuilder().select('course.id').from('course', 'course') as unknown as SelectQueryBuilder<Course>;
  applyFilter(counting, filter, search, false);
  const [counts, categories] = await Promise.all([
    dataSource
      .createQueryBuilder()
      .select('link.category_id', 'categoryId')
      .addSelect('count(*)::int', 'count')
      .from('course_category', 'link')
      .where(`link.course_id IN (${counting.getQuery()})`)
      .setParameters(counting.getParameters())
      .groupBy('link.category_id')
      .getRawMany<{ categoryId: string; count: number }>(),
    dataSource.getRepository(Category).find({ order: { name: 'ASC', id: 'ASC' } }),
  ]);
  const byCategory = new Map(counts.map((row) => [row.categoryId, row.count]));
  return categories.map((category) => ({ category, count: byCategory.get(category.id) ?? 0 }));
}
