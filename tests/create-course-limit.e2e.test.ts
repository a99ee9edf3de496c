/**
 * createCourse is rate-limited per user (issue 9 item 6: the filler rows of
 * the cost attack were made by calling it as fast as possible), counted in
 * the course database so every course-subgraph instance counts the same.
 */
import { IDENTITY_HEADER, signIdentity, type RunningServer } from '@coursegraph/runtime';
import { CreateCourseDocument } from '@coursegraph/client';
import { startCourseSubgraph } from '@coursegraph/course';
import { newUser } from '@coursegraph/devkit/fixtures';
import { graphql, SECRETS, startStack, testConfig, type Stack } from '@coursegraph/devkit/stack';

const LIMIT = 3;
let stack: Stack;
/** A second course-subgraph instance on the same database. */
let secondCourse: RunningServer;

beforeAll(async () => {
  stack = await startStack({ course: { createCourseLimit: LIMIT, createCourseWindowSeconds: 3_600 } });
  secondCourse = await startCourseSubgraph(
    testConfig.course(stack.courseDatabaseUrl, { createCourseLimit: LIMIT, createCourseWindowSeconds: 3_600 }),
  );
});
afterAll(async () => {
  await secondCourse?.stop();
  await stack?.stop();
});

const input = (title = 'Filler') => ({ title, description: '', price: { amount: 100, currency: 'USD' }, capacity: 1 });
const coursesOf = async (userId: string) =>
  (await stack.courseDb.query<{ count: number }>(`SELECT count(*)::int AS count FROM course WHERE instructor_id = $1`, [userId])).rows[0]!.count;

test('past the limit createCourse answers RATE_LIMITED with retryAfterSeconds and creates nothing, across instances', async () => {
  const instructor = newUser('INSTRUCTOR');
  // Invalid input is not counted.
  const invalid = await stack.call(CreateCourseDocument, { input: input('   ') }, instructor);
  expect(invalid.data?.createCourse.userErrors.map((error) => error.code)).toEqual(['VALIDATION']);
  for (let i = 0; i < LIMIT - 1; i++) {
    const created = await stack.call(CreateCourseDocument, { input: input() }, instructor);
    expect(created.data?.createCourse.userErrors).toEqual([]);
  }
  // One more on the other instance, straight to the subgraph as the gateway would send it.
  const direct = await graphql(
    `${secondCourse.url}/graphql`,
    `
      mutation ($input: CreateCourseInput!) {
        createCourse(input: $input) {
          course {
            id
          }
          userErrors {
            code
          }
        }
      }
    `,
    { input: input() },
    {
      [IDENTITY_HEADER]: signIdentity(SECRETS.subgraphSecret, instructor, 60),
    },
  );
  expect(direct.data).toEqual({ createCourse: { course: { id: expect.any(String) }, userErrors: [] } });
  expect(await coursesOf(instructor.userId)).toBe(LIMIT);

  const refused = await graphql(
    stack.gatewayUrl,
    `
      mutation ($input: CreateCourseInput!) {
        createCourse(input: $input) {
          course {
            id
          }
          userErrors {
            code
            field
            message
            retryAfterSeconds
          }
        }
      }
    `,
    { input: input() },
    { authorization: `Bearer ${stack.token(instructor)}` },
  );
  expect(refused.data).toEqual({
    createCourse: {
      course: null,
      userErrors: [
        {
          code: 'RATE_LIMITED',
          field: null,
          message: expect.stringMatching(/^Too many courses created\. Try again in \d+ seconds\.$/),
          retryAfterSeconds: expect.any(Number),
        },
      ],
    },
  });
  const { retryAfterSeconds } = (refused.data as { createCourse: { userErrors: { retryAfterSeconds: number }[] } }).createCourse.userErrors[0]!;
  expect(retryAfterSeconds).toBeGreaterThan(0);
  expect(retryAfterSeconds).toBeLessThanOrEqual(3_600);
  expect(await coursesOf(instructor.userId)).toBe(LIMIT);

  // Another instructor has their own allowance.
  const other = newUser('INSTRUCTOR');
  expect((await stack.call(CreateCourseDocument, { input: input() }, other)).data?.createCourse.userErrors).toEqual([]);
});
