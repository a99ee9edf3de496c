/**
 * Categories through the gateway against real PostgreSQL: unique slugs (by
 * constraint, under concurrency), links idempotent and unique by primary key,
 * at most 10 categories a course (also under concurrency), deleting a used
 * category refused unless detached, visibility of a category's courses, and
 * Course.categories for a page of courses read in one SQL query. Every
 * refusal leaves the course database as it was. The role matrix is in
 * category-roles.e2e.test.ts.
 */
import { randomUUID } from 'node:crypto';
import {
  AddCoursesToCategoryDocument,
  CatalogWithCategoriesDocument,
  CategoriesDocument,
  CategoryBySlugDocument,
  CourseCategoriesDocument,
  CreateCategoryDocument,
  DeleteCategoryDocument,
  DeleteCourseDocument,
  SeatsChangedWithCategoriesDocument,
  SetCourseCategoriesDocument,
  UpdateCategoryDocument,
  UpdateCourseCapacityDocument,
} from '@coursegraph/client';
import { statementsDuring } from '@coursegraph/devkit/sql';
import { createCourse, newUser } from '@coursegraph/devkit/fixtures';
import { startStack, type Stack } from '@coursegraph/devkit/stack';
import { collect, connect } from '@coursegraph/devkit/ws';

let stack: Stack;
const admin = newUser('ADMIN');

beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

/** Every category and link, to prove a refusal changed nothing. */
async function snapshot() {
  const categories = await stack.courseDb.query('SELECT * FROM category ORDER BY id');
  const links = await stack.courseDb.query('SELECT * FROM course_category ORDER BY course_id, category_id');
  return { categories: categories.rows, links: links.rows };
}

async function expectUnchanged(work: () => Promise<unknown>) {
  const before = await snapshot();
  await work();
  expect(await snapshot()).toEqual(before);
}

const listPage = (after: string | null | undefined) => stack.call(CategoriesDocument, { first: 1, after });

const slug = (prefix = 'cat') => `${prefix}-${randomUUID().slice(0, 8)}`;

async function newCategory(name = 'Category under test', slugText = slug()) {
  const created = await stack.call(CreateCategoryDocument, { input: { slug: slugText, name, description: 'Made by a test.' } }, admin);
  const category = created.data?.createCategory.category;
  if (!category) throw new Error(`createCategory failed: ${JSON.stringify(created)}`);
  return category;
}

const linksOf = async (courseId: string) =>
  (await stack.courseDb.query('SELECT category_id FROM course_category WHERE course_id = $1 ORDER BY 1', [courseId])).rows.map(
    (row: { category_id: string }) => row.category_id,
  );

const setCategories = (courseId: string, categoryIds: string[], viewer = admin) =>
  stack.call(SetCourseCategoriesDocument, { input: { courseId, categoryIds } }, viewer);

describe('categories', () => {
  test('a duplicate slug is SLUG_TAKEN, also between concurrent creations, and bad fields are VALIDATION; nothing changes', async () => {
    const taken = slug('taken');
    await newCategory('First', taken);
    await expectUnchanged(async () => {
      const again = await stack.call(CreateCategoryDocument, { input: { slug: taken, name: 'Second' } }, admin);
      expect(again.data?.createCategory).toEqual({
        category: null,
        userErrors: [expect.objectContaining({ code: 'SLUG_TAKEN', field: 'input.slug' })],
      });
      const bad: [object, string][] = [
        [{ slug: 'Upper-Case', name: 'x' }, 'input.slug'],
        [{ slug: 'a', name: 'x' }, 'input.slug'],
        [{ slug: '-lead', name: 'x' }, 'input.slug'],
        [{ slug: 'x'.repeat(61), name: 'x' }, 'input.slug'],
        [{ slug: slug(), name: '  ' }, 'input.name'],
        [{ slug: slug(), name: 'x'.repeat(81) }, 'input.name'],
        [{ slug: slug(), name: 'x', description: 'x'.repeat(501) }, 'input.description'],
      ];
      for (const [input, field] of bad) {
        const refused = await stack.call(CreateCategoryDocument, { input: input as never }, admin);
        expect(refused.data?.createCategory.userErrors).toEqual([expect.objectContaining({ code: 'VALIDATION', field })]);
      }
    });
    // The unique constraint decides, not a check before the insert: of ten at once, one wins.
    const racing = slug('race');
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => stack.call(CreateCategoryDocument, { input: { slug: racing, name: `Racer ${i}` } }, admin)),
    );
    expect(answers.filter((answer) => answer.data?.createCategory.category).length).toBe(1);
    expect(answers.filter((answer) => answer.data?.createCategory.userErrors[0]?.code === 'SLUG_TAKEN').length).toBe(9);
    // A null description is an empty one.
    const bare = await stack.call(CreateCategoryDocument, { input: { slug: slug('bare'), name: 'Bare', description: null } }, admin);
    expect(bare.data?.createCategory.category?.description).toBe('');
    const rawInsert = stack.courseDb.query(`INSERT INTO category (id, slug, name) VALUES ($1, $2, 'Raw')`, [randomUUID(), racing]);
    await expect(rawInsert).rejects.toMatchObject({ code: '23505', constraint: 'category_slug_unique' });
  });

  test('updateCategory renames, changes the slug, refuses a taken slug; categories by name; category(slug:)', async () => {
    const other = await newCategory('Other', slug('other'));
    const category = await newCategory('Zz before rename');
    const renamed = await stack.call(
      UpdateCategoryDocument,
      { input: { categoryId: category.id, name: 'Aa renamed', slug: 'renamed-' + category.slug, description: 'New words.' } },
      admin,
    );
    expect(renamed.data?.updateCategory).toEqual({
      category: { ...category, name: 'Aa renamed', slug: 'renamed-' + category.slug, description: 'New words.' },
      userErrors: [],
    });
    await expectUnchanged(async () => {
      const clash = await stack.call(UpdateCategoryDocument, { input: { categoryId: category.id, slug: other.slug } }, admin);
      expect(clash.data?.updateCategory.userErrors).toEqual([expect.objectContaining({ code: 'SLUG_TAKEN', field: 'input.slug' })]);
      const unknown = await stack.call(UpdateCategoryDocument, { input: { categoryId: randomUUID(), name: 'x' } }, admin);
      expect(unknown.data?.updateCategory.userErrors).toEqual([expect.objectContaining({ code: 'NOT_FOUND' })]);
    });
    // Paged one at a time, by name then id: every category exactly once, in order.
    const seen: { name: string; id: string }[] = [];
    let after: string | null | undefined = null;
    do {
      const page: Awaited<ReturnType<typeof listPage>> = await listPage(after);
      seen.push(...page.data!.categories.edges.map((edge) => edge.node));
      after = page.data!.categories.pageInfo.hasNextPage ? page.data!.categories.pageInfo.endCursor : null;
    } while (after);
    const all = (await stack.courseDb.query('SELECT id, name FROM category')).rows as { id: string; name: string }[];
    expect(seen.map((c) => c.id)).toEqual(
      [...all].sort((a, b) => (a.name === b.name ? (a.id < b.id ? -1 : 1) : a.name < b.name ? -1 : 1)).map((c) => c.id),
    );
    expect(seen[0]!.name <= seen[seen.length - 1]!.name).toBe(true);
    const found = await stack.call(CategoryBySlugDocument, { slug: ('renamed-' + category.slug).toUpperCase() });
    expect(found.data?.category?.id).toBe(category.id);
    expect((await stack.call(CategoryBySlugDocument, { slug: 'no-such-category' })).data?.category).toBeNull();
    expect((await stack.call(CategoryBySlugDocument, { slug: 'not a slug!' })).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await stack.call(CategoriesDocument, { first: 1, after: 'bm90LWEtY3Vyc29y' })).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  test('setCourseCategories replaces the set, idempotent and order-insensitive; a duplicate link is impossible', async () => {
    const course = await createCourse(stack);
    const [a, b, c] = [await newCategory('Alpha'), await newCategory('Beta'), await newCategory('Gamma')];
    const first = await setCategories(course.id, [b.id, a.id]);
    expect(first.data?.setCourseCategories.course?.categories.map((x) => x.id)).toEqual([a.id, b.id]);
    await expectUnchanged(async () => {
      expect((await setCategories(course.id, [a.id, b.id])).data?.setCourseCategories.userErrors).toEqual([]);
      expect((await setCategories(course.id, [b.id, a.id, b.id])).data?.setCourseCategories.userErrors).toEqual([]);
    });
    await setCategories(course.id, [c.id, b.id]);
    expect(await linksOf(course.id)).toEqual([b.id, c.id].sort());
    const read = await stack.call(CourseCategoriesDocument, { id: course.id });
    expect(read.data?.course?.categories.map((x) => x.slug)).toEqual([b.slug, c.slug]);
    // addCoursesToCategory with a course already in the category: still one link.
    const add = await stack.call(AddCoursesToCategoryDocument, { input: { categoryId: b.id, courseIds: [course.id, course.id] } }, admin);
    expect(add.data?.addCoursesToCategory.userErrors).toEqual([]);
    expect(await linksOf(course.id)).toEqual([b.id, c.id].sort());
    // The primary key, not a check, makes the link unique.
    const duplicate = stack.courseDb.query('INSERT INTO course_category (course_id, category_id) VALUES ($1, $2)', [course.id, b.id]);
    await expect(duplicate).rejects.toMatchObject({ code: '23505', constraint: 'course_category_pkey' });
    await setCategories(course.id, []);
    expect(await linksOf(course.id)).toEqual([]);
  });

  test('unknown ids are NOT_FOUND and the 11th category is TOO_MANY_CATEGORIES; nothing changes', async () => {
    const course = await createCourse(stack);
    const eleven: string[] = [];
    for (let i = 0; i < 11; i++) eleven.push((await newCategory(`Many ${i}`)).id);
    expect((await setCategories(course.id, eleven.slice(0, 10))).data?.setCourseCategories.userErrors).toEqual([]);
    await expectUnchanged(async () => {
      const over = await setCategories(course.id, eleven);
      expect(over.data?.setCourseCategories.userErrors).toEqual([
        expect.objectContaining({ code: 'TOO_MANY_CATEGORIES', field: 'input.categoryIds' }),
      ]);
      const add = await stack.call(AddCoursesToCategoryDocument, { input: { categoryId: eleven[10]!, courseIds: [course.id] } }, admin);
      expect(add.data?.addCoursesToCategory.userErrors).toEqual([
        expect.objectContaining({ code: 'TOO_MANY_CATEGORIES', field: 'input.courseIds.0' }),
      ]);
      const unknown = await setCategories(course.id, [eleven[0]!, randomUUID()]);
      expect(unknown.data?.setCourseCategories.userErrors).toEqual([expect.objectContaining({ code: 'NOT_FOUND', field: 'input.categoryIds.1' })]);
      const noCourse = await stack.call(
        AddCoursesToCategoryDocument,
        { input: { categoryId: eleven[0]!, courseIds: [course.id, randomUUID()] } },
        admin,
      );
      expect(noCourse.data?.addCoursesToCategory.userErrors).toEqual([expect.objectContaining({ code: 'NOT_FOUND', field: 'input.courseIds.1' })]);
    });
    expect(await linksOf(course.id)).toHaveLength(10);
  });

  test('concurrent additions to a course in 9 categories: exactly one gets the 10th place', async () => {
    const course = await createCourse(stack);
    const nine: string[] = [];
    for (let i = 0; i < 9; i++) nine.push((await newCategory(`Nine ${i}`)).id);
    await setCategories(course.id, nine);
    const candidates: string[] = [];
    for (let i = 0; i < 6; i++) candidates.push((await newCategory(`Candidate ${i}`)).id);
    const answers = await Promise.all(
      candidates.map((categoryId) => stack.call(AddCoursesToCategoryDocument, { input: { categoryId, courseIds: [course.id] } }, admin)),
    );
    const codes = answers.map((answer) => answer.data?.addCoursesToCategory.userErrors[0]?.code ?? 'OK');
    expect(codes.filter((code) => code === 'OK')).toHaveLength(1);
    expect(codes.filter((code) => code === 'TOO_MANY_CATEGORIES')).toHaveLength(5);
    expect(await linksOf(course.id)).toHaveLength(10);
  });

  test('deleting a used category is CATEGORY_IN_USE; with detach it goes and its courses leave it', async () => {
    const [one, two] = [await createCourse(stack), await createCourse(stack)];
    const used = await newCategory('Used');
    const kept = await newCategory('Kept');
    await stack.call(AddCoursesToCategoryDocument, { input: { categoryId: used.id, courseIds: [one.id, two.id] } }, admin);
    await setCategories(one.id, [used.id, kept.id]);
    await expectUnchanged(async () => {
      for (const detach of [undefined, false]) {
        const refused = await stack.call(DeleteCategoryDocument, { input: { categoryId: used.id, detach } }, admin);
        expect(refused.data?.deleteCategory).toEqual({
          deletedCategoryId: null,
          detachedCourseCount: null,
          userErrors: [expect.objectContaining({ code: 'CATEGORY_IN_USE', field: 'input.detach' })],
        });
      }
    });
    const deleted = await stack.call(DeleteCategoryDocument, { input: { categoryId: used.id, detach: true } }, admin);
    expect(deleted.data?.deleteCategory).toEqual({ deletedCategoryId: used.id, detachedCourseCount: 2, userErrors: [] });
    expect(await linksOf(one.id)).toEqual([kept.id]);
    expect(await linksOf(two.id)).toEqual([]);
    expect((await stack.call(CategoryBySlugDocument, { slug: used.slug })).data?.category).toBeNull();
    // An unused category needs no flag; a second delete finds nothing.
    const unused = await newCategory('Unused');
    expect((await stack.call(DeleteCategoryDocument, { input: { categoryId: unused.id } }, admin)).data?.deleteCategory.deletedCategoryId).toBe(
      unused.id,
    );
    const again = await stack.call(DeleteCategoryDocument, { input: { categoryId: unused.id } }, admin);
    expect(again.data?.deleteCategory.userErrors).toEqual([expect.objectContaining({ code: 'NOT_FOUND' })]);
  });

  test('deleteCategory racing setCourseCategories: one of them wins cleanly, never an internal error or a dangling link', async () => {
    const course = await createCourse(stack);
    let linked: string[] = [];
    for (let round = 0; round < 20; round++) {
      const category = await newCategory(`Race ${round}`);
      const [set, deleted] = await Promise.all([
        setCategories(course.id, [category.id]),
        stack.call(DeleteCategoryDocument, { input: { categoryId: category.id } }, admin),
      ]);
      expect([set.errors, deleted.errors]).toEqual([undefined, undefined]);
      const setCode = set.data?.setCourseCategories.userErrors[0]?.code ?? 'OK';
      const deleteCode = deleted.data?.deleteCategory.userErrors[0]?.code ?? 'OK';
      // Set first: the delete finds the category in use. Delete first: the set finds no such category.
      expect([
        ['OK', 'CATEGORY_IN_USE'],
        ['NOT_FOUND', 'OK'],
      ]).toContainEqual([setCode, deleteCode]);
      // A refused set leaves the course as it was.
      if (setCode === 'OK') linked = [category.id];
      expect(await linksOf(course.id)).toEqual(linked);
    }
  });

  test('deleting a draft course takes its category links with it', async () => {
    const draft = await createCourse(stack, { publish: false });
    const category = await newCategory('Draft home');
    await setCategories(draft.id, [category.id], draft.instructor);
    const deleted = await stack.call(DeleteCourseDocument, { input: { courseId: draft.id } }, draft.instructor);
    expect(deleted.data?.deleteCourse).toEqual({ deletedCourseId: draft.id, userErrors: [] });
    expect(await linksOf(draft.id)).toEqual([]);
    expect((await stack.call(CategoryBySlugDocument, { slug: category.slug }, admin)).data?.category?.courses.totalCount).toBe(0);
  });

  test('Category.courses shows published courses, drafts to their instructor and admins; courseCount counts published', async () => {
    const category = await newCategory('Visibility');
    const published = await createCourse(stack);
    const draft = await createCourse(stack, { publish: false });
    await stack.call(AddCoursesToCategoryDocument, { input: { categoryId: category.id, courseIds: [published.id, draft.id] } }, admin);
    const ids = async (viewer: Parameters<Stack['call']>[2]) => {
      const answer = await stack.call(CategoryBySlugDocument, { slug: category.slug }, viewer);
      return {
        count: answer.data?.category?.courseCount,
        total: answer.data?.category?.courses.totalCount,
        ids: answer.data?.category?.courses.edges.map((edge) => edge.node.id),
      };
    };
    expect(await ids(null)).toEqual({ count: 1, total: 1, ids: [published.id] });
    expect(await ids(newUser('INSTRUCTOR'))).toEqual({ count: 1, total: 1, ids: [published.id] });
    expect(await ids(draft.instructor)).toEqual({ count: 1, total: 2, ids: [published.id, draft.id] });
    expect(await ids(admin)).toEqual({ count: 1, total: 2, ids: [published.id, draft.id] });
    const paged = await stack.call(CategoryBySlugDocument, { slug: category.slug, first: 1 }, admin);
    const next = await stack.call(
      CategoryBySlugDocument,
      { slug: category.slug, first: 1, after: paged.data?.category?.courses.pageInfo.endCursor },
      admin,
    );
    expect(next.data?.category?.courses.edges.map((edge) => edge.node.id)).toEqual([draft.id]);
    expect(next.data?.category?.courses.pageInfo.hasNextPage).toBe(false);
  });
});

describe('batching', () => {
  const courseQueriesDuring = async (work: () => Promise<unknown>) => (await statementsDuring({ course: stack.courseDatabaseUrl }, work)).course;

  test('Course.categories for a page of 12 courses and courseCount for every category: one SQL query each', async () => {
    const categories = [await newCategory('Batch A'), await newCategory('Batch B'), await newCategory('Batch C')];
    for (let i = 0; i < 12; i++) {
      const course = await createCourse(stack);
      await setCategories(
        course.id,
        categories.slice(0, (i % 3) + 1).map((c) => c.id),
      );
    }
    let withCategories = 0;
    const queries = await courseQueriesDuring(async () => {
      const page = await stack.call(CatalogWithCategoriesDocument, { first: 100 });
      withCategories = page.data!.courses.edges.filter((edge) => edge.node.categories.length > 0).length;
    });
    expect(withCategories).toBeGreaterThanOrEqual(12);
    expect(queries.filter((text) => /course_category/.test(text))).toHaveLength(1);

    const counted = await courseQueriesDuring(async () => {
      const list = await stack.call(CategoriesDocument, { first: 100 });
      const counts = Object.fromEntries(list.data!.categories.edges.map((edge) => [edge.node.id, edge.node.courseCount]));
      expect(categories.map((c) => counts[c.id])).toEqual([12, 8, 4]);
    });
    expect(counted.filter((text) => /course_category/.test(text))).toHaveLength(1);
  });
});

describe('live seat events', () => {
  test('a subscription sees the course categories as they are at each event, not as they were when it started', async () => {
    const course = await createCourse(stack);
    const [before, after] = [await newCategory('Before'), await newCategory('After')];
    await setCategories(course.id, [before.id]);
    const client = connect(stack.gatewayUrl);
    try {
      const watch = collect(client, SeatsChangedWithCategoriesDocument, { courseIds: [course.id] });
      await watch.until(1);
      await setCategories(course.id, [after.id]);
      await stack.call(UpdateCourseCapacityDocument, { input: { courseId: course.id, capacity: 20 } }, course.instructor);
      const seen = (await watch.until(2)).map((event) => [
        event.data?.seatsChanged.reason,
        event.data?.seatsChanged.course.categories.map((c) => c.slug),
      ]);
      expect(seen).toEqual([
        ['CURRENT', [before.slug]],
        ['CAPACITY_CHANGED', [after.slug]],
      ]);
    } finally {
      await client.dispose();
    }
  });
});
