/**
 * The role matrix of the category mutations through the gateway: for each
 * mutation and each actor (anonymous, student, the course's instructor,
 * another instructor, admin) the exact answer: done, or an UNAUTHENTICATED or
 * FORBIDDEN GraphQL error (NOT_FOUND userError for someone else's draft), and
 * every refusal leaves the course database exactly as it was.
 */
import { randomUUID } from 'node:crypto';
import type { Viewer } from '@coursegraph/runtime';
import {
  AddCoursesToCategoryDocument,
  CreateCategoryDocument,
  DeleteCategoryDocument,
  SetCourseCategoriesDocument,
  UpdateCategoryDocument,
} from '@coursegraph/client';
import { createCourse, newUser } from '@coursegraph/devkit/fixtures';
import { startStack, type GraphQLResponse, type Stack } from '@coursegraph/devkit/stack';

type ActorName = 'anonymous' | 'student' | 'instructor (owner)' | 'other instructor' | 'admin';
const ACTORS: ActorName[] = ['anonymous', 'student', 'instructor (owner)', 'other instructor', 'admin'];
type Outcome = 'allowed' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND';
const [A, UN, FB, NF]: Outcome[] = ['allowed', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND'];

let stack: Stack;
const viewers: Record<ActorName, Viewer | null> = {
  anonymous: null,
  student: newUser('STUDENT'),
  'instructor (owner)': newUser('INSTRUCTOR'),
  'other instructor': newUser('INSTRUCTOR'),
  admin: newUser('ADMIN'),
};

beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

/** What the course database holds of courses and categories. */
async function snapshot() {
  const [courses, categories, links] = await Promise.all([
    stack.courseDb.query('SELECT * FROM course ORDER BY id'),
    stack.courseDb.query('SELECT * FROM category ORDER BY id'),
    stack.courseDb.query('SELECT * FROM course_category ORDER BY course_id, category_id'),
  ]);
  return { courses: courses.rows, categories: categories.rows, links: links.rows };
}

interface Target {
  courseId: string;
  categoryId: string;
  otherCategoryId: string;
}

/** Fresh objects per case: a course of the owner (published unless `draft`) in one category, and a second category. */
async function prepare(draft = false): Promise<Target> {
  const course = await createCourse(stack, { instructor: viewers['instructor (owner)']!, publish: !draft });
  const make = async () => {
    const made = await stack.call(CreateCategoryDocument, { input: { slug: `roles-${randomUUID().slice(0, 8)}`, name: 'Roles' } }, viewers.admin);
    return made.data!.createCategory.category!.id;
  };
  const target = { courseId: course.id, categoryId: await make(), otherCategoryId: await make() };
  await stack.call(SetCourseCategoriesDocument, { input: { courseId: target.courseId, categoryIds: [target.categoryId] } }, viewers.admin);
  return target;
}

const links = async (courseId: string) =>
  (await stack.courseDb.query('SELECT category_id FROM course_category WHERE course_id = $1 ORDER BY 1', [courseId])).rows.map(
    (row: { category_id: string }) => row.category_id,
  );

interface Row {
  name: string;
  draft?: boolean;
  send: (
    target: Target,
    viewer: Viewer | null,
  ) => Promise<GraphQLResponse<Record<string, { userErrors: { code: string; field?: string | null }[] } | null>>>;
  /** Checks that an allowed call did its work. */
  done: (target: Target, data: Record<string, unknown>) => Promise<void>;
  expected: Outcome[];
}

const ROWS: Row[] = [
  {
    name: 'createCategory',
    send: (_target, viewer) => stack.call(CreateCategoryDocument, { input: { slug: `new-${randomUUID().slice(0, 8)}`, name: 'New' } }, viewer),
    done: async (_target, data) => {
      const id = (data as { createCategory: { category: { id: string } } }).createCategory.category.id;
      expect((await stack.courseDb.query('SELECT name FROM category WHERE id = $1', [id])).rows).toEqual([{ name: 'New' }]);
    },
    expected: [UN, FB, FB, FB, A],
  },
  {
    name: 'updateCategory',
    send: (target, viewer) => stack.call(UpdateCategoryDocument, { input: { categoryId: target.categoryId, name: 'Renamed' } }, viewer),
    done: async (target) => {
      expect((await stack.courseDb.query('SELECT name FROM category WHERE id = $1', [target.categoryId])).rows).toEqual([{ name: 'Renamed' }]);
    },
    expected: [UN, FB, FB, FB, A],
  },
  {
    name: 'deleteCategory (detach)',
    send: (target, viewer) => stack.call(DeleteCategoryDocument, { input: { categoryId: target.categoryId, detach: true } }, viewer),
    done: async (target) => {
      expect((await stack.courseDb.query('SELECT id FROM category WHERE id = $1', [target.categoryId])).rows).toEqual([]);
      expect(await links(target.courseId)).toEqual([]);
    },
    expected: [UN, FB, FB, FB, A],
  },
  {
    name: 'setCourseCategories (published course)',
    send: (target, viewer) =>
      stack.call(SetCourseCategoriesDocument, { input: { courseId: target.courseId, categoryIds: [target.otherCategoryId] } }, viewer),
    done: async (target) => expect(await links(target.courseId)).toEqual([target.otherCategoryId]),
    expected: [UN, FB, A, FB, A],
  },
  {
    name: 'setCourseCategories (draft course)',
    draft: true,
    send: (target, viewer) =>
      stack.call(SetCourseCategoriesDocument, { input: { courseId: target.courseId, categoryIds: [target.otherCategoryId] } }, viewer),
    done: async (target) => expect(await links(target.courseId)).toEqual([target.otherCategoryId]),
    expected: [UN, FB, A, NF, A],
  },
  {
    name: 'addCoursesToCategory',
    send: (target, viewer) =>
      stack.call(AddCoursesToCategoryDocument, { input: { categoryId: target.otherCategoryId, courseIds: [target.courseId] } }, viewer),
    done: async (target) => expect(await links(target.courseId)).toEqual([target.categoryId, target.otherCategoryId].sort()),
    expected: [UN, FB, FB, FB, A],
  },
];

describe.each(ROWS)('$name', (row) => {
  test.each(ACTORS.map((actor, index) => [actor, row.expected[index]!] as const))('%s: %s', async (actor, outcome) => {
    const target = await prepare(row.draft);
    const before = await snapshot();
    const answer = await row.send(target, viewers[actor]);
    const root = Object.keys(answer.data ?? {})[0] ?? '';
    if (outcome === 'allowed') {
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.[root]?.userErrors).toEqual([]);
      await row.done(target, answer.data as Record<string, unknown>);
      return;
    }
    if (outcome === 'NOT_FOUND') {
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.[root]?.userErrors).toEqual([expect.objectContaining({ code: 'NOT_FOUND', field: 'input.courseId' })]);
    } else {
      expect(answer.errors?.map((error) => error.extensions?.code)).toEqual([outcome]);
      expect(answer.data ?? null).toBeNull();
    }
    expect(await snapshot()).toEqual(before);
  });
});
