/**
 * The catalog's search, filters and sorts through the gateway (issue 12): every
 * sort, with and without filters and search, paged to the end with page sizes
 * 1, 7 and 100 while other courses are inserted and edited, lists each
 * matching course exactly once and in order; search finds word forms,
 * prefixes and descriptions; bad arguments are typed errors.
 */
import {
  CourseFacetsDocument,
  CreateCategoryDocument,
  SearchCatalogDocument,
  SetCourseCategoriesDocument,
  UpdateCourseDocument,
  type CourseFilter,
  type CourseSort,
  type SearchCatalogQueryVariables,
} from '@coursegraph/client';
import { createCourse, newUser } from '@coursegraph/devkit/fixtures';
import { startStack, type Stack } from '@coursegraph/devkit/stack';

let stack: Stack;
const instructor = newUser('INSTRUCTOR');
const admin = newUser('ADMIN');

interface Row {
  id: string;
  title: string;
  created_at: Date;
  price_amount: number;
  price_currency: string;
  seats_sold: number;
  seats_available: number;
  status: string;
}

/** [title, description, price, currency, capacity, seats sold, category slugs] of the catalog under test. */
const CATALOG: [string, string, number, string, number, number, string[]][] = [
  ['Kubernetes in Production', 'Run clusters without surprises.', 4_900, 'USD', 30, 12, ['ops', 'cloud']],
  ['Running PostgreSQL', 'Locks, plans and vacuum in practice.', 3_900, 'USD', 20, 20, ['data']],
  ['GraphQL Federation from Zero', 'Subgraphs, entities and a gateway; also some Kubernetes.', 4_900, 'USD', 50, 3, ['apis']],
  ['TypeScript for Backend Engineers', 'Types that pay their way.', 2_900, 'USD', 10, 0, ['apis']],
  ['Designing Sagas', 'The last seat, sold once.', 9_900, 'USD', 1, 1, ['apis', 'data']],
  ['Observability Basics', 'Logs, metrics and traces for people who run services.', 1_900, 'USD', 40, 7, ['ops']],
  ['Advanced SQL', 'Window functions and recursive queries.', 3_900, 'EUR', 25, 5, ['data']],
  ['Cloud Costs', 'What a cluster really costs.', 0, 'USD', 100, 30, ['cloud']],
  ['Message Queues', 'At least once, exactly once, and the truth.', 4_900, 'USD', 15, 15, ['data', 'apis']],
  ['kubectl Tricks', 'Small commands, big wins.', 900, 'USD', 60, 2, ['ops']],
  ['Zero-Downtime Deploys', 'Rolling, blue-green and canary.', 5_900, 'EUR', 35, 9, ['ops', 'cloud']],
  ['Testing with Real Databases', 'No mocks where it matters.', 2_900, 'USD', 12, 4, []],
];
const CATEGORIES = ['ops', 'cloud', 'data', 'apis', 'empty'];
/** Category id by slug. */
const categoryId: Record<string, string> = {};

beforeAll(async () => {
  stack = await startStack();
  for (const slug of CATEGORIES) {
    const created = await stack.call(CreateCategoryDocument, { input: { slug, name: `Category ${slug}` } }, admin);
    categoryId[slug] = created.data!.createCategory.category!.id;
  }
  for (const [title, description, amount, currency, capacity, sold, slugs] of CATALOG) {
    const course = await createCourse(stack, { instructor, amount, currency, capacity });
    await stack.courseDb.query('UPDATE course SET title = $2, description = $3, seats_sold = $4, seats_available = capacity - $4 WHERE id = $1', [
      course.id,
      title,
      description,
      sold,
    ]);
    const categoryIds = slugs.map((slug) => categoryId[slug]!);
    const linked = await stack.call(SetCourseCategoriesDocument, { input: { courseId: course.id, categoryIds } }, admin);
    expect(linked.data?.setCourseCategories.userErrors).toEqual([]);
  }
  await createCourse(stack, { instructor, publish: false }); // a draft: never in the public catalog
});

afterAll(async () => {
  await stack?.stop();
});

const page = (variables: SearchCatalogQueryVariables, viewer: typeof admin | null = null) => stack.call(SearchCatalogDocument, variables, viewer);

/** The course rows a filter admits, as the database holds them (categories by slug only). */
async function rows(filter: CourseFilter = {}): Promise<Row[]> {
  const { rows } = await stack.courseDb.query<Row & { slugs: string[] }>(
    `SELECT id, title, created_at, price_amount, price_currency, seats_sold, seats_available, status,
            array(SELECT c.slug FROM course_category l JOIN category c ON c.id = l.category_id WHERE l.course_id = course.id) AS slugs
       FROM course WHERE status = 'PUBLISHED'`,
  );
  return rows.filter(
    (row) =>
      (!filter.categorySlugs || row.slugs.some((slug) => filter.categorySlugs!.includes(slug))) &&
      (!filter.seatsAvailable || row.seats_available > 0) &&
      (filter.currency == null || row.price_currency === filter.currency) &&
      (filter.minPrice == null || row.price_amount >= filter.minPrice) &&
      (filter.maxPrice == null || row.price_amount <= filter.maxPrice),
  );
}

const byId = (a: Row, b: Row) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const ORDER: Record<Exclude<CourseSort, 'RELEVANCE' | 'TITLE'>, (a: Row, b: Row) => number> = {
  NEWEST: (a, b) => b.created_at.getTime() - a.created_at.getTime() || byId(b, a),
  OLDEST: (a, b) => a.created_at.getTime() - b.created_at.getTime() || byId(a, b),
  PRICE_ASC: (a, b) => a.price_amount - b.price_amount || byId(a, b),
  PRICE_DESC: (a, b) => b.price_amount - a.price_amount || byId(b, a),
  POPULAR: (a, b) => b.seats_sold - a.seats_sold || byId(b, a),
  SEATS_LEFT: (a, b) => b.seats_available - a.seats_available || byId(b, a),
};

/** The expected order: computed here, except TITLE, whose order is the database collation's (ties by id). */
async function expectedOrder(sort: Exclude<CourseSort, 'RELEVANCE'>, filter: CourseFilter): Promise<string[]> {
  const admitted = await rows(filter);
  if (sort !== 'TITLE') return [...admitted].sort(ORDER[sort]).map((row) => row.id);
  const { rows: ordered } = await stack.courseDb.query<{ id: string }>('SELECT id FROM course ORDER BY lower(title), id');
  const ids = new Set(admitted.map((row) => row.id));
  return ordered.map((row) => row.id).filter((id) => ids.has(id));
}

/** Pages through to the end; between the first pages, inserts a course and edits it (never part of `expected`). */
async function pageThrough(variables: SearchCatalogQueryVariables, first: number, insert = true): Promise<{ ids: string[]; totalCount: number }> {
  const ids: string[] = [];
  let after: string | null = null;
  let totalCount = -1;
  for (let pages = 0; pages < 200; pages++) {
    const answer = await page({ ...variables, first, after });
    expect(answer.errors).toBeUndefined();
    const courses = answer.data!.courses;
    if (totalCount < 0) totalCount = courses.totalCount;
    ids.push(...courses.edges.map((edge) => edge.node.id));
    if (insert && pages < 3) {
      const extra = await createCourse(stack, { instructor, amount: 1_500, capacity: 5 });
      await stack.courseDb.query(`UPDATE course SET title = 'Inserted meanwhile ' || id, price_amount = price_amount + 1 WHERE id = $1`, [extra.id]);
    }
    if (!courses.pageInfo.hasNextPage) return { ids, totalCount };
    after = courses.pageInfo.endCursor;
  }
  throw new Error('paging did not end');
}

describe('every sort pages to the end, each matching course once and in order, while other courses come and change', () => {
  const filters: [string, CourseFilter][] = [
    ['no filter', {}],
    ['seats left, USD 10.00 to 49.00', { seatsAvailable: true, currency: 'USD', minPrice: 1_000, maxPrice: 4_900 }],
    ['categories ops or data', { categorySlugs: ['ops', 'data'] }],
  ];
  const sorts: Exclude<CourseSort, 'RELEVANCE'>[] = ['NEWEST', 'OLDEST', 'PRICE_ASC', 'PRICE_DESC', 'TITLE', 'POPULAR', 'SEATS_LEFT'];
  const cases = sorts.flatMap((sort) => filters.flatMap(([name, filter]) => [1, 7, 100].map((first) => [sort, name, first, filter] as const)));
  test.each(cases)('%s, %s, pages of %d', async (sort, _name, first, filter) => {
    const expected = await expectedOrder(sort, filter);
    const { ids, totalCount } = await pageThrough({ sort, filter }, first);
    expect(new Set(ids).size).toBe(ids.length);
    const known = new Set(expected);
    expect(ids.filter((id) => known.has(id))).toEqual(expected);
    expect(totalCount).toBeGreaterThanOrEqual(expected.length);
  });
});

describe('search', () => {
  const titles = async (search: string, sort?: CourseSort) => {
    const answer = await page({ search, sort, first: 100, filter: { currency: 'USD', maxPrice: 9_900, minPrice: 0 } });
    expect(answer.errors).toBeUndefined();
    return answer.data!.courses.edges.map((edge) => edge.node.title).filter((title) => !title.startsWith('Inserted meanwhile'));
  };

  test('finds word forms ("runs" finds "Running", "run"), prefixes ("kube") and words of the description', async () => {
    expect(await titles('runs', 'TITLE')).toEqual(['Kubernetes in Production', 'Observability Basics', 'Running PostgreSQL']);
    expect(await titles('kube', 'TITLE')).toEqual(['GraphQL Federation from Zero', 'kubectl Tricks', 'Kubernetes in Production']);
    expect(await titles('vacuum')).toEqual(['Running PostgreSQL']);
    expect(await titles('"last seat"')).toEqual(['Designing Sagas']);
  });

  test('RELEVANCE, the default with search, puts a title match before a description match; paging it finds each once', async () => {
    expect(await titles('kubernetes')).toEqual(['Kubernetes in Production', 'GraphQL Federation from Zero']);
    const { ids, totalCount } = await pageThrough({ search: 'kubernetes OR cluster OR sql' }, 1);
    expect(new Set(ids).size).toBe(ids.length);
    const { rows: found } = await stack.courseDb.query<{ title: string }>(
      `SELECT title FROM course WHERE id = ANY($1) AND title NOT LIKE 'Inserted meanwhile%' ORDER BY title`,
      [ids],
    );
    expect(found.map((row) => row.title)).toEqual(['Advanced SQL', 'Cloud Costs', 'GraphQL Federation from Zero', 'Kubernetes in Production']);
    expect(totalCount).toBeGreaterThanOrEqual(4);
  });

  test('a word written with a leading "-" is excluded, from the web-search and the prefix match alike', async () => {
    expect(await titles('kube -production', 'TITLE')).toEqual(['GraphQL Federation from Zero', 'kubectl Tricks']);
    const withoutClusters = await titles('-cluster', 'TITLE');
    expect(withoutClusters).toContain('Designing Sagas');
    expect(withoutClusters).not.toContain('Kubernetes in Production');
    expect(withoutClusters).not.toContain('Cloud Costs');
    // A hyphen inside a word is not an exclusion.
    const hyphenated = await page({ search: 'blue-green', first: 100 });
    expect(hyphenated.data!.courses.edges.map((edge) => edge.node.title)).toEqual(['Zero-Downtime Deploys']);
  });

  test("an edited course's new words are found by the next search", async () => {
    const course = await createCourse(stack, { instructor });
    expect(await titles('xylophone')).toEqual([]);
    const edited = await stack.call(UpdateCourseDocument, { input: { courseId: course.id, title: 'Xylophone for Engineers' } }, instructor);
    expect(edited.data?.updateCourse.userErrors).toEqual([]);
    expect(await titles('xylophone')).toEqual(['Xylophone for Engineers']);
  });

  test('totalCount counts every match, not the page', async () => {
    const answer = await page({ search: 'kube', first: 1, filter: { currency: 'USD', minPrice: 0, maxPrice: 9_900 } });
    const all = await titles('kube');
    expect(answer.data!.courses.edges).toHaveLength(1);
    expect(answer.data!.courses.totalCount).toBeGreaterThanOrEqual(all.length);
  });
});

describe('categories: filter and facets', () => {
  const facets = async (variables: { search?: string; filter?: CourseFilter }) => {
    const answer = await stack.call(CourseFacetsDocument, variables);
    expect(answer.errors).toBeUndefined();
    return answer.data!.courseFacets.map((facet) => [facet.category.slug, facet.count] as const);
  };
  const titlesOf = (edges: { node: { title: string } }[]) => edges.map((edge) => edge.node.title).filter((title) => !title.startsWith('Inserted'));

  test('a filter by ids and slugs is their union; slugs in any letter case', async () => {
    const upper = await page({ first: 100, sort: 'TITLE', filter: { categorySlugs: ['CLOUD'] } });
    expect(titlesOf(upper.data!.courses.edges)).toEqual(['Cloud Costs', 'Kubernetes in Production', 'Zero-Downtime Deploys']);
    const answer = await page({ first: 100, sort: 'TITLE', filter: { categoryIds: [categoryId.cloud!], categorySlugs: ['apis'] } });
    expect(titlesOf(answer.data!.courses.edges)).toEqual([
      'Cloud Costs',
      'Designing Sagas',
      'GraphQL Federation from Zero',
      'Kubernetes in Production',
      'Message Queues',
      'TypeScript for Backend Engineers',
      'Zero-Downtime Deploys',
    ]);
  });

  test.each<[string, { search?: string; filter?: CourseFilter }]>([
    ['the whole catalog', {}],
    ['a search', { search: 'kube' }],
    ['a price filter', { filter: { currency: 'USD', minPrice: 0, maxPrice: 4_900 } }],
  ])('facet counts of %s equal what paging through each category returns; every category is listed, by name', async (_name, variables) => {
    const counts = await facets(variables);
    expect(counts.map(([slug]) => slug)).toEqual(['apis', 'cloud', 'data', 'empty', 'ops']);
    for (const [slug, count] of counts) {
      const { ids } = await pageThrough({ search: variables.search, filter: { ...variables.filter, categorySlugs: [slug] } }, 7, false);
      expect([slug, count]).toEqual([slug, ids.length]);
    }
    // The filter's own categories are left out of the counts.
    expect(await facets({ ...variables, filter: { ...variables.filter, categorySlugs: ['ops'] } })).toEqual(counts);
  });

  test('an unknown category id or slug, a malformed one, or too many are BAD_USER_INPUT', async () => {
    for (const filter of [
      { categoryIds: ['00000000-0000-4000-8000-000000000000'] },
      { categorySlugs: ['no-such-category'] },
      { categoryIds: ['not-an-id'] },
      { categorySlugs: ['Not A Slug'] },
      { categorySlugs: Array.from({ length: 21 }, (_, i) => `slug-${i}`) },
    ]) {
      expect((await page({ filter })).errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      expect((await stack.call(CourseFacetsDocument, { filter })).errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    }
  });
});

describe('bad arguments are BAD_USER_INPUT (or FORBIDDEN) errors', () => {
  const codeOf = async (variables: SearchCatalogQueryVariables, viewer: typeof admin | null = null) => {
    const answer = await page(variables, viewer);
    expect(answer.data ?? null).toBeNull();
    return answer.errors!.map((error) => [error.extensions?.code, error.message]);
  };

  test.each<[string, SearchCatalogQueryVariables, RegExp]>([
    ['a reversed price range', { filter: { currency: 'USD', minPrice: 500, maxPrice: 100 } }, /minPrice/],
    ['a price range without a currency', { filter: { minPrice: 100 } }, /currency/],
    ['a negative price', { filter: { currency: 'USD', minPrice: -1 } }, /minPrice/],
    ['a lower-case currency', { filter: { currency: 'usd' } }, /currency/],
    ['an over-long search', { search: 'k'.repeat(201) }, /200 characters/],
    ['a search without words', { search: '!!! ---' }, /letter or a digit/],
    ['RELEVANCE without search', { sort: 'RELEVANCE' }, /RELEVANCE/],
    ['a malformed instructor id', { filter: { instructorId: 'not-an-id' } }, /instructorId/],
    ['a page of 0', { first: 0 }, /first/],
    ['a page of 101', { first: 101 }, /first/],
    ['a garbage cursor', { after: 'garbage' }, /cursor/],
  ])('%s', async (_name, variables, message) => {
    expect(await codeOf(variables)).toEqual([['BAD_USER_INPUT', expect.stringMatching(message)]]);
  });

  test('a cursor made for another sort, search or filter is refused; the same ones accept it', async () => {
    const after = (await page({ first: 1, sort: 'PRICE_ASC', filter: { seatsAvailable: true } })).data!.courses.pageInfo.endCursor!;
    expect((await page({ first: 1, sort: 'PRICE_ASC', filter: { seatsAvailable: true }, after })).errors).toBeUndefined();
    for (const variables of [
      { sort: 'PRICE_DESC' as const, filter: { seatsAvailable: true } },
      { sort: 'PRICE_ASC' as const },
      { sort: 'PRICE_ASC' as const, filter: { seatsAvailable: true }, search: 'kube' },
      { sort: 'PRICE_ASC' as const, filter: { seatsAvailable: true, categorySlugs: ['ops'] } },
    ]) {
      expect(await codeOf({ ...variables, first: 1, after })).toEqual([['BAD_USER_INPUT', expect.stringMatching(/another sort, search or filter/)]]);
    }
  });

  test('a cursor with a key this API never writes is BAD_USER_INPUT, never a database error', async () => {
    const recode = (cursor: string, key: unknown) => {
      const [, id, madeFor] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, string, string];
      return Buffer.from(JSON.stringify([key, id, madeFor])).toString('base64url');
    };
    const cases: [SearchCatalogQueryVariables, unknown[]][] = [
      [{ sort: 'PRICE_ASC' }, [1.5, 2 ** 31, -(2 ** 31) - 1, 1e300, '1000', null]],
      [{ sort: 'POPULAR' }, [1e-320, -1e300]],
      [{ sort: 'RELEVANCE', search: 'kube' }, [1e300, -1e300, 1e-320, '0.5']],
      [{ sort: 'NEWEST' }, ['1', '2026', 'Tuesday 1', '2026-02-30T00:00:00.000Z', '+275760-09-13T00:00:00.000Z', 'Jan 1, 10000', 12]],
      [{ sort: 'TITLE' }, ['a\u0000b', 'x'.repeat(401), 7]],
    ];
    for (const [variables, keys] of cases) {
      const real = (await page({ ...variables, first: 1 })).data!.courses.pageInfo.endCursor!;
      expect((await page({ ...variables, first: 1, after: real })).errors).toBeUndefined();
      for (const key of keys) {
        expect([variables.sort, key, await codeOf({ ...variables, first: 1, after: recode(real, key) })]).toEqual([
          variables.sort,
          key,
          [['BAD_USER_INPUT', expect.stringMatching(/not a cursor returned by this API/)]],
        ]);
      }
    }
    const crafted = Buffer.from(JSON.stringify(['a\u0000b', categoryId.ops])).toString('base64url');
    const categories = await stack.call('query($after: String) { categories(first: 1, after: $after) { edges { cursor } } }', { after: crafted });
    expect(categories.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });

  test('unpublished statuses: FORBIDDEN for anonymous callers and other instructors; the owner and admins see their drafts', async () => {
    const draftOnly = { filter: { statuses: ['DRAFT' as const], instructorId: instructor.userId } };
    expect(await codeOf(draftOnly)).toEqual([['FORBIDDEN', expect.any(String)]]);
    expect(await codeOf(draftOnly, newUser('INSTRUCTOR'))).toEqual([['FORBIDDEN', expect.any(String)]]);
    for (const viewer of [instructor, admin]) {
      const answer = await page({ ...draftOnly, first: 100 }, viewer);
      expect(answer.errors).toBeUndefined();
      expect(answer.data!.courses.edges.map((edge) => edge.node.status)).toEqual(['DRAFT']);
    }
  });
});
