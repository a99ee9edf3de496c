/**
 * The role matrix through the gateway: who may call every mutation and read
 * every protected field, with real accounts (register, then login; the admin
 * is promoted in the accounts database and signs in again, so every role
 * comes from a token the accounts subgraph issued). A refusal is the exact
 * error (UNAUTHENTICATED or FORBIDDEN GraphQL error, NOT_FOUND userError for
 * other people's drafts, null for what is not visible) and changes nothing
 * in any database.
 */
import { randomUUID } from 'node:crypto';
import { expectSeatInvariant } from '@coursegraph/devkit/fixtures';
import { bearer, graphql, startStack, type GraphQLResponse, type Stack } from '@coursegraph/devkit/stack';

// ---------------------------------------------------------------------------
// Accounts and actors.

type ActorName = 'anonymous' | 'student' | 'other student' | 'instructor (owner)' | 'other instructor' | 'admin';
const ACTORS: ActorName[] = ['anonymous', 'student', 'other student', 'instructor (owner)', 'other instructor', 'admin'];

interface Account {
  id: string;
  email: string;
  password: string;
  displayName: string;
  roles: string[];
  token: string;
}

let stack: Stack;
const accounts = {} as Record<Exclude<ActorName, 'anonymous'>, Account>;
const tokenOf = (actor: ActorName) => (actor === 'anonymous' ? null : accounts[actor].token);
const accountOf = (actor: ActorName) => (actor === 'anonymous' ? null : accounts[actor]);

type Data = any;

/** Calls the gateway with a real access token (or none). */
const call = (query: string, variables: object, token: string | null): Promise<GraphQLResponse<Data>> =>
  graphql(stack.gatewayUrl, query, variables, token ? bearer(token) : {});

/** Calls and insists on a clean answer (fixtures). */
async function ok(query: string, variables: object, token: string | null): Promise<Data> {
  const response = await call(query, variables, token);
  if (response.errors || !response.data) throw new Error(`unexpected errors: ${JSON.stringify(response)}`);
  return response.data;
}

const AUTH = 'accessToken user { id roles } userErrors { code field message }';

async function signUp(name: string, role: 'STUDENT' | 'INSTRUCTOR'): Promise<Account> {
  const email = `${name.replace(/\W+/g, '-')}-${randomUUID().slice(0, 8)}@example.com`;
  const password = `pw-${randomUUID()}`;
  const displayName = `${name} ${randomUUID().slice(0, 4)}`;
  const registered = await ok(
    `mutation ($input: RegisterInput!) { register(input: $input) { ${AUTH} } }`,
    { input: { email, password, displayName, role } },
    null,
  );
  expect(registered.register.userErrors).toEqual([]);
  return signIn({ id: registered.register.user.id, email, password, displayName, roles: [role], token: '' });
}

async function signIn(account: Account): Promise<Account> {
  const loggedIn = await ok(
    `mutation ($input: LoginInput!) { login(input: $input) { ${AUTH} } }`,
    { input: { email: account.email, password: account.password } },
    null,
  );
  expect(loggedIn.login.userErrors).toEqual([]);
  expect(loggedIn.login.user.id).toBe(account.id);
  return { ...account, roles: loggedIn.login.user.roles, token: loggedIn.login.accessToken };
}

const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { sub: string; roles: string[] };

// ---------------------------------------------------------------------------
// Operations.

const ERRORS = 'userErrors { code field message }';
const COURSE = 'id title status capacity instructorId price { amount currency }';
const CREATE = `mutation ($input: CreateCourseInput!) { createCourse(input: $input) { course { ${COURSE} instructor { id displayName } } ${ERRORS} } }`;
const PRICE = `mutation ($input: UpdateCoursePriceInput!) { updateCoursePrice(input: $input) { course { ${COURSE} } ${ERRORS} } }`;
const CAPACITY = `mutation ($input: UpdateCourseCapacityInput!) { updateCourseCapacity(input: $input) { course { ${COURSE} } ${ERRORS} } }`;
const PUBLISH = `mutation ($input: CourseIdInput!) { publishCourse(input: $input) { course { ${COURSE} } ${ERRORS} } }`;
const ARCHIVE = `mutation ($input: CourseIdInput!) { archiveCourse(input: $input) { course { ${COURSE} } ${ERRORS} } }`;
const EDIT = `mutation ($input: UpdateCourseInput!) { updateCourse(input: $input) { course { ${COURSE} } ${ERRORS} } }`;
const DELETE = `mutation ($input: CourseIdInput!) { deleteCourse(input: $input) { deletedCourseId ${ERRORS} } }`;
const PLACE = `mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id status studentId student { id displayName } course { id } } ${ERRORS} } }`;
const CANCEL = `mutation ($input: CancelOrderInput!) { cancelOrder(input: $input) { order { id status studentId } ${ERRORS} } }`;

const USD = (amount: number) => ({ amount, currency: 'USD' });
const PRICE_AMOUNT = 1_000;

type Status = 'DRAFT' | 'PUBLISHED' | 'ARCHIVED';

/** A course of the owner, made through the gateway with the owner's token. */
async function ownersCourse(status: Status, capacity = 5): Promise<string> {
  const created = await ok(
    CREATE,
    { input: { title: `Owner's ${status.toLowerCase()} course`, price: USD(PRICE_AMOUNT), capacity } },
    accounts['instructor (owner)'].token,
  );
  const id = created.createCourse.course.id as string;
  if (status !== 'DRAFT') await ok(PUBLISH, { input: { courseId: id } }, accounts['instructor (owner)'].token);
  if (status === 'ARCHIVED') await ok(ARCHIVE, { input: { courseId: id } }, accounts['instructor (owner)'].token);
  return id;
}

/** An order of `buyer` (the student by default) on a course of the owner. */
async function orderOf(courseId: string, buyer: Account = accounts.student): Promise<string> {
  const placed = await ok(PLACE, { input: { courseId, expectedPrice: USD(PRICE_AMOUNT), idempotencyKey: `key-${randomUUID()}` } }, buyer.token);
  expect(placed.placeOrder.userErrors).toEqual([]);
  return placed.placeOrder.order.id as string;
}

/** Everything every subgraph stored. */
async function snapshot() {
  const [courses, reservations, orders, users, tokens] = await Promise.all([
    stack.courseDb.query('SELECT * FROM course ORDER BY id'),
    stack.courseDb.query('SELECT * FROM reservation ORDER BY id'),
    stack.orderDb.query('SELECT * FROM orders ORDER BY id'),
    stack.accountsDb.query('SELECT * FROM app_user ORDER BY id'),
    stack.accountsDb.query('SELECT * FROM refresh_token ORDER BY id'),
  ]);
  return { courses: courses.rows, reservations: reservations.rows, orders: orders.rows, users: users.rows, tokens: tokens.rows };
}

const courseRow = async (id: string) =>
  (await stack.courseDb.query('SELECT title, status, capacity, price_amount, instructor_id FROM course WHERE id = $1', [id])).rows[0];

// ---------------------------------------------------------------------------
// The matrix.

/**
 * What an actor gets:
 * - allowed: the operation does its work (checked per row);
 * - UNAUTHENTICATED / FORBIDDEN: a GraphQL error with that code, the field null;
 * - NOT_FOUND / ILLEGAL_TRANSITION: that userError on input.courseId, nothing else in the payload;
 * - null: a plain null, no error (not visible, or anonymous `me`);
 * - email shown / email null: the field resolves, the address only for some;
 * - all statuses / published only: coursesTaught with drafts and archived courses, or without.
 */
type Outcome =
  | 'allowed'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'ILLEGAL_TRANSITION'
  | 'null'
  | 'email shown'
  | 'email null'
  | 'all statuses'
  | 'published only';

interface Target {
  courseId: string;
  orderId: string;
}

interface Row {
  name: string;
  mutation: boolean;
  /** The root field the answer is under. */
  root: string;
  /** Fresh objects for this row and actor (so an allowed change never affects the next case). */
  prepare: () => Promise<Target>;
  send: (target: Target, token: string | null) => Promise<GraphQLResponse<Data>>;
  /** Checks a non-error outcome. */
  check: (outcome: Outcome, data: Data, target: Target, actor: ActorName) => Promise<void> | void;
  expected: [Outcome, Outcome, Outcome, Outcome, Outcome, Outcome];
}

// Short names for the expected columns, in ACTORS order.
const A: Outcome = 'allowed';
const UN: Outcome = 'UNAUTHENTICATED';
const FB: Outcome = 'FORBIDDEN';
const NF: Outcome = 'NOT_FOUND';
const IT: Outcome = 'ILLEGAL_TRANSITION';
const NUL: Outcome = 'null';

const shared = {} as { published: string; draft: string; archived: string; order: string };
const sharedTarget = async (): Promise<Target> => ({ courseId: shared.published, orderId: shared.order });
const noCheck = (outcome: Outcome) => {
  throw new Error(`no check for outcome ${outcome}`);
};

/** Asserts `payload` succeeded, and (for course mutations) that the course is as `expected` in the answer and the database. */
async function expectCourseChanged(
  payload: Data,
  courseId: string,
  expected: { title?: string; status?: Status; capacity?: number; price_amount?: number },
) {
  expect(payload.userErrors).toEqual([]);
  expect(payload.course.id).toBe(courseId);
  if (expected.title) expect(payload.course.title).toBe(expected.title);
  if (expected.status) expect(payload.course.status).toBe(expected.status);
  if (expected.capacity) expect(payload.course.capacity).toBe(expected.capacity);
  if (expected.price_amount) expect(payload.course.price.amount).toBe(expected.price_amount);
  expect(await courseRow(courseId)).toMatchObject(expected);
  await expectSeatInvariant(stack, courseId);
}

const courseMutation = (
  name: string,
  status: Status,
  document: string,
  root: string,
  input: (courseId: string) => object,
  after: { title?: string; status?: Status; capacity?: number; price_amount?: number },
  expected: Row['expected'],
): Row => ({
  name,
  mutation: true,
  root,
  prepare: async () => ({ courseId: await ownersCourse(status), orderId: '' }),
  send: (target, token) => call(document, { input: input(target.courseId) }, token),
  check: (outcome, data, target) => (outcome === 'allowed' ? expectCourseChanged(data[root], target.courseId, after) : noCheck(outcome)),
  expected,
});

const rows: Row[] = [
  // ----- mutations
  {
    name: 'createCourse',
    mutation: true,
    root: 'createCourse',
    prepare: async () => ({ courseId: '', orderId: '' }),
    send: (_target, token) => call(CREATE, { input: { title: 'Matrix course', price: USD(500), capacity: 3 } }, token),
    check: async (outcome, data, _target, actor) => {
      if (outcome !== 'allowed') return noCheck(outcome);
      const me = accountOf(actor)!;
      expect(data.createCourse.userErrors).toEqual([]);
      // The caller becomes the instructor, resolved through federation from the accounts subgraph.
      expect(data.createCourse.course).toMatchObject({
        status: 'DRAFT',
        instructorId: me.id,
        instructor: { id: me.id, displayName: me.displayName },
      });
      expect(await courseRow(data.createCourse.course.id)).toMatchObject({ status: 'DRAFT', instructor_id: me.id });
    },
    expected: [UN, FB, FB, A, A, A],
  },
  courseMutation(
    "updateCoursePrice of the owner's published course",
    'PUBLISHED',
    PRICE,
    'updateCoursePrice',
    (courseId) => ({ courseId, price: USD(1_234) }),
    { price_amount: 1_234 },
    [UN, FB, FB, A, FB, A],
  ),
  courseMutation(
    "updateCoursePrice of the owner's draft",
    'DRAFT',
    PRICE,
    'updateCoursePrice',
    (courseId) => ({ courseId, price: USD(1_234) }),
    { price_amount: 1_234 },
    [UN, NF, NF, A, NF, A],
  ),
  courseMutation(
    "updateCourseCapacity of the owner's published course",
    'PUBLISHED',
    CAPACITY,
    'updateCourseCapacity',
    (courseId) => ({ courseId, capacity: 7 }),
    { capacity: 7 },
    [UN, FB, FB, A, FB, A],
  ),
  courseMutation(
    "updateCourseCapacity of the owner's draft",
    'DRAFT',
    CAPACITY,
    'updateCourseCapacity',
    (courseId) => ({ courseId, capacity: 7 }),
    { capacity: 7 },
    [UN, NF, NF, A, NF, A],
  ),
  courseMutation("publishCourse of the owner's draft", 'DRAFT', PUBLISH, 'publishCourse', (courseId) => ({ courseId }), { status: 'PUBLISHED' }, [
    UN,
    NF,
    NF,
    A,
    NF,
    A,
  ]),
  courseMutation(
    "publishCourse of the owner's published course (a no-op for managers)",
    'PUBLISHED',
    PUBLISH,
    'publishCourse',
    (courseId) => ({ courseId }),
    { status: 'PUBLISHED' },
    [UN, FB, FB, A, FB, A],
  ),
  courseMutation(
    "archiveCourse of the owner's published course",
    'PUBLISHED',
    ARCHIVE,
    'archiveCourse',
    (courseId) => ({ courseId }),
    { status: 'ARCHIVED' },
    [UN, FB, FB, A, FB, A],
  ),
  courseMutation("archiveCourse of the owner's draft", 'DRAFT', ARCHIVE, 'archiveCourse', (courseId) => ({ courseId }), { status: 'ARCHIVED' }, [
    UN,
    NF,
    NF,
    A,
    NF,
    A,
  ]),
  courseMutation(
    "archiveCourse of the owner's archived course (a no-op for managers)",
    'ARCHIVED',
    ARCHIVE,
    'archiveCourse',
    (courseId) => ({ courseId }),
    { status: 'ARCHIVED' },
    [UN, NF, NF, A, NF, A],
  ),
  courseMutation(
    "updateCourse of the owner's published course",
    'PUBLISHED',
    EDIT,
    'updateCourse',
    (courseId) => ({ courseId, title: 'Edited title', description: 'Edited description.' }),
    { title: 'Edited title' },
    [UN, FB, FB, A, FB, A],
  ),
  courseMutation(
    "updateCourse of the owner's draft",
    'DRAFT',
    EDIT,
    'updateCourse',
    (courseId) => ({ courseId, title: 'Edited title' }),
    { title: 'Edited title' },
    [UN, NF, NF, A, NF, A],
  ),
  courseMutation(
    "updateCourse of the owner's archived course (its text is final)",
    'ARCHIVED',
    EDIT,
    'updateCourse',
    (courseId) => ({ courseId, title: 'Edited title' }),
    {},
    [UN, NF, NF, IT, NF, IT],
  ),
  {
    name: "deleteCourse of the owner's draft",
    mutation: true,
    root: 'deleteCourse',
    prepare: async () => ({ courseId: await ownersCourse('DRAFT'), orderId: '' }),
    send: (target, token) => call(DELETE, { input: { courseId: target.courseId } }, token),
    check: async (outcome, data, target) => {
      if (outcome !== 'allowed') return noCheck(outcome);
      expect(data.deleteCourse).toEqual({ deletedCourseId: target.courseId, userErrors: [] });
      expect(await courseRow(target.courseId)).toBeUndefined();
    },
    expected: [UN, NF, NF, A, NF, A],
  },
  {
    name: "deleteCourse of the owner's published course (archive it instead)",
    mutation: true,
    root: 'deleteCourse',
    prepare: async () => ({ courseId: await ownersCourse('PUBLISHED'), orderId: '' }),
    send: (target, token) => call(DELETE, { input: { courseId: target.courseId } }, token),
    check: (outcome) => noCheck(outcome),
    expected: [UN, FB, FB, IT, FB, IT],
  },
  {
    name: "placeOrder on the owner's published course",
    mutation: true,
    root: 'placeOrder',
    prepare: async () => ({ courseId: await ownersCourse('PUBLISHED'), orderId: '' }),
    send: (target, token) =>
      call(PLACE, { input: { courseId: target.courseId, expectedPrice: USD(PRICE_AMOUNT), idempotencyKey: `key-${randomUUID()}` } }, token),
    check: async (outcome, data, target, actor) => {
      if (outcome !== 'allowed') return noCheck(outcome);
      const me = accountOf(actor)!;
      expect(data.placeOrder.userErrors).toEqual([]);
      expect(data.placeOrder.order).toMatchObject({
        status: 'CONFIRMED',
        studentId: me.id,
        student: { id: me.id, displayName: me.displayName },
        course: { id: target.courseId },
      });
      expect(await expectSeatInvariant(stack, target.courseId)).toMatchObject({ sold: 1, confirmedOrders: 1 });
    },
    expected: [UN, A, A, FB, FB, FB],
  },
  {
    name: "cancelOrder of the student's order",
    mutation: true,
    root: 'cancelOrder',
    prepare: async () => {
      const courseId = await ownersCourse('PUBLISHED');
      return { courseId, orderId: await orderOf(courseId) };
    },
    send: (target, token) => call(CANCEL, { input: { orderId: target.orderId } }, token),
    check: async (outcome, data, target) => {
      if (outcome !== 'allowed') return noCheck(outcome);
      expect(data.cancelOrder).toEqual({ order: { id: target.orderId, status: 'CANCELLED', studentId: accounts.student.id }, userErrors: [] });
      expect(await expectSeatInvariant(stack, target.courseId)).toMatchObject({ sold: 0, available: 5, confirmedOrders: 0 });
    },
    expected: [UN, A, FB, FB, FB, A],
  },

  // ----- protected reads
  {
    name: 'me',
    mutation: false,
    root: 'me',
    prepare: sharedTarget,
    send: (_target, token) => call('{ me { id email roles displayName } }', {}, token),
    check: (outcome, data, _target, actor) => {
      if (outcome === 'null') return expect(data).toEqual({ me: null });
      const me = accountOf(actor)!;
      expect(data.me).toEqual({ id: me.id, email: me.email, roles: me.roles, displayName: me.displayName });
    },
    expected: [NUL, A, A, A, A, A],
  },
  {
    name: "course(id) of the owner's draft",
    mutation: false,
    root: 'course',
    prepare: async () => ({ courseId: shared.draft, orderId: '' }),
    send: (target, token) => call('query ($id: ID!) { course(id: $id) { id status } }', { id: target.courseId }, token),
    check: (outcome, data, target) => expect(data).toEqual({ course: outcome === 'null' ? null : { id: target.courseId, status: 'DRAFT' } }),
    expected: [NUL, NUL, NUL, A, NUL, A],
  },
  {
    name: "course(id) of the owner's archived course",
    mutation: false,
    root: 'course',
    prepare: async () => ({ courseId: shared.archived, orderId: '' }),
    send: (target, token) => call('query ($id: ID!) { course(id: $id) { id status } }', { id: target.courseId }, token),
    check: (outcome, data, target) => expect(data).toEqual({ course: outcome === 'null' ? null : { id: target.courseId, status: 'ARCHIVED' } }),
    expected: [NUL, NUL, NUL, A, NUL, A],
  },
  {
    name: "order(id) of the student's order, every Order field",
    mutation: false,
    root: 'order',
    prepare: sharedTarget,
    send: (target, token) =>
      call(
        `query ($id: ID!) { order(id: $id) { id status studentId failureReason createdAt updatedAt pricePaid { amount currency }
           course { id title instructor { id displayName } } student { id displayName email } } }`,
        { id: target.orderId },
        token,
      ),
    check: (outcome, data, target, actor) => {
      if (outcome !== 'allowed') return noCheck(outcome);
      const student = accounts.student;
      const owner = accounts['instructor (owner)'];
      expect(data.order).toEqual({
        id: target.orderId,
        status: 'CONFIRMED',
        studentId: student.id,
        failureReason: null,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        pricePaid: USD(PRICE_AMOUNT),
        course: { id: target.courseId, title: expect.any(String), instructor: { id: owner.id, displayName: owner.displayName } },
        // The student sees their own address; so does an admin.
        student: { id: student.id, displayName: student.displayName, email: actor === 'student' || actor === 'admin' ? student.email : null },
      });
    },
    expected: [UN, A, FB, FB, FB, A],
  },
  {
    name: "Course.orders of the owner's course",
    mutation: false,
    root: 'course',
    prepare: sharedTarget,
    send: (target, token) =>
      call(
        'query ($id: ID!) { course(id: $id) { id orders { edges { node { id studentId student { displayName } } } } } }',
        { id: target.courseId },
        token,
      ),
    check: (outcome, data, target) => {
      if (outcome !== 'allowed') return noCheck(outcome);
      expect(data.course.orders.edges.map((edge: Data) => edge.node)).toEqual([
        { id: target.orderId, studentId: accounts.student.id, student: { displayName: accounts.student.displayName } },
      ]);
    },
    expected: [UN, FB, FB, A, FB, A],
  },
  {
    name: 'User.orders of oneself (me.orders)',
    mutation: false,
    root: 'me',
    prepare: sharedTarget,
    send: (_target, token) => call('{ me { id orders(first: 100) { edges { node { id studentId } } } } }', {}, token),
    check: async (outcome, data, _target, actor) => {
      if (outcome === 'null') return expect(data).toEqual({ me: null });
      const me = accountOf(actor)!;
      const stored = await stack.orderDb.query('SELECT id FROM orders WHERE student_id = $1 ORDER BY created_at DESC, id DESC', [me.id]);
      expect(data.me.orders.edges.map((edge: Data) => edge.node)).toEqual(stored.rows.map((row) => ({ id: row.id, studentId: me.id })));
      if (actor === 'student') expect(stored.rows.map((row) => row.id)).toContain(shared.order);
    },
    expected: [NUL, A, A, A, A, A],
  },
  {
    name: 'User.orders of the student (order(id).student.orders)',
    mutation: false,
    root: 'order',
    prepare: sharedTarget,
    send: (target, token) =>
      call('query ($id: ID!) { order(id: $id) { id student { id orders { edges { node { id } } } } } }', { id: target.orderId }, token),
    check: (outcome, data, target) => {
      if (outcome !== 'allowed') return noCheck(outcome);
      expect(data.order.student.orders.edges.map((edge: Data) => edge.node.id)).toContain(target.orderId);
    },
    expected: [UN, A, FB, FB, FB, A],
  },
  {
    name: 'User.orders of the student, reached through Course.orders (course.orders.node.student.orders)',
    mutation: false,
    root: 'course',
    prepare: sharedTarget,
    send: (target, token) =>
      call(
        'query ($id: ID!) { course(id: $id) { id orders { edges { node { id student { id orders { edges { node { id } } } } } } } } }',
        { id: target.courseId },
        token,
      ),
    check: (outcome, data, target) => {
      if (outcome !== 'allowed') return noCheck(outcome);
      expect(data.course.orders.edges[0].node.student.orders.edges.map((edge: Data) => edge.node.id)).toContain(target.orderId);
    },
    // The instructor sees who bought the course, not everything that student bought.
    expected: [UN, FB, FB, FB, FB, A],
  },
  {
    name: 'User.orders of the owner (course.instructor.orders)',
    mutation: false,
    root: 'course',
    prepare: sharedTarget,
    send: (target, token) =>
      call('query ($id: ID!) { course(id: $id) { id instructor { id orders { edges { node { id } } } } } }', { id: target.courseId }, token),
    check: (outcome, data) => {
      if (outcome !== 'allowed') return noCheck(outcome);
      expect(data.course.instructor).toEqual({ id: accounts['instructor (owner)'].id, orders: { edges: [] } });
    },
    expected: [UN, FB, FB, A, FB, A],
  },
  {
    name: 'User.email of the owner (course.instructor.email)',
    mutation: false,
    root: 'course',
    prepare: sharedTarget,
    send: (target, token) => call('query ($id: ID!) { course(id: $id) { id instructor { id displayName email } } }', { id: target.courseId }, token),
    check: (outcome, data, target) => {
      const owner = accounts['instructor (owner)'];
      expect(data).toEqual({
        course: {
          id: target.courseId,
          instructor: { id: owner.id, displayName: owner.displayName, email: outcome === 'email shown' ? owner.email : null },
        },
      });
    },
    expected: ['email null', 'email null', 'email null', 'email shown', 'email null', 'email shown'],
  },
  {
    name: 'User.email of the student, reached through Course.orders (course.orders.node.student.email)',
    mutation: false,
    root: 'course',
    prepare: sharedTarget,
    send: (target, token) =>
      call('query ($id: ID!) { course(id: $id) { id orders { edges { node { id student { id email } } } } } }', { id: target.courseId }, token),
    check: (outcome, data) => {
      if (outcome !== 'email shown' && outcome !== 'email null') return noCheck(outcome);
      const student = accounts.student;
      expect(data.course.orders.edges[0].node.student).toEqual({ id: student.id, email: outcome === 'email shown' ? student.email : null });
    },
    expected: [UN, FB, FB, 'email null', FB, 'email shown'],
  },
  {
    name: 'User.coursesTaught of the owner (course.instructor.coursesTaught), drafts included?',
    mutation: false,
    root: 'course',
    prepare: sharedTarget,
    send: (target, token) =>
      call(
        'query ($id: ID!) { course(id: $id) { id instructor { coursesTaught(first: 100) { edges { node { id status } } } } } }',
        { id: target.courseId },
        token,
      ),
    check: async (outcome, data) => {
      if (outcome !== 'all statuses' && outcome !== 'published only') return noCheck(outcome);
      const all = outcome === 'all statuses';
      const stored = await stack.courseDb.query(
        `SELECT id, status FROM course WHERE instructor_id = $1 AND ($2 OR status = 'PUBLISHED') ORDER BY created_at, id LIMIT 100`,
        [accounts['instructor (owner)'].id, all],
      );
      const seen = data.course.instructor.coursesTaught.edges.map((edge: Data) => edge.node);
      expect(seen).toEqual(stored.rows);
      const ids = seen.map((course: Data) => course.id);
      expect(ids).toContain(shared.published);
      if (all) expect(ids).toEqual(expect.arrayContaining([shared.draft, shared.archived]));
      else expect(seen.filter((course: Data) => course.status !== 'PUBLISHED')).toEqual([]);
    },
    expected: ['published only', 'published only', 'published only', 'all statuses', 'published only', 'all statuses'],
  },
];

const matrix = rows.flatMap((row) => ACTORS.map((actor, index) => [row.name, actor, row.expected[index]!, row] as const));

beforeAll(async () => {
  stack = await startStack();
  accounts.student = await signUp('Stu Dent', 'STUDENT');
  accounts['other student'] = await signUp('Otto Student', 'STUDENT');
  accounts['instructor (owner)'] = await signUp('Olga Owner', 'INSTRUCTOR');
  accounts['other instructor'] = await signUp('Ian Other', 'INSTRUCTOR');
  const admin = await signUp('Ada Admin', 'STUDENT');
  await stack.accountsDb.query(`UPDATE app_user SET roles = ARRAY['ADMIN']::varchar[] WHERE id = $1`, [admin.id]);
  accounts.admin = await signIn(admin);

  // Shared objects for the reads, made before any mutation case adds courses.
  shared.published = await ownersCourse('PUBLISHED');
  shared.draft = await ownersCourse('DRAFT');
  shared.archived = await ownersCourse('ARCHIVED');
  shared.order = await orderOf(shared.published);
});
afterAll(() => stack?.stop());

describe('the actors are real accounts', () => {
  test('every role comes from a token the accounts subgraph issued', () => {
    expect(ACTORS.filter((actor) => actor !== 'anonymous').map((actor) => [actor, claimsOf(tokenOf(actor)!).roles])).toEqual([
      ['student', ['STUDENT']],
      ['other student', ['STUDENT']],
      ['instructor (owner)', ['INSTRUCTOR']],
      ['other instructor', ['INSTRUCTOR']],
      ['admin', ['ADMIN']],
    ]);
    for (const actor of ACTORS.filter((a) => a !== 'anonymous')) expect(claimsOf(tokenOf(actor)!).sub).toBe(accountOf(actor)!.id);
  });

  test('the matrix has one row per operation and actor', () => {
    expect(new Set(matrix.map(([name, actor]) => `${name}|${actor}`)).size).toBe(matrix.length);
    expect(rows.every((row) => row.expected.length === ACTORS.length)).toBe(true);
  });
});

describe('role matrix through the gateway', () => {
  test.each(matrix)('%s | as %s → %s', async (_name, actor, outcome, row) => {
    const target = await row.prepare();
    const before = await snapshot();
    const response = await row.send(target, tokenOf(actor));
    const refused = outcome === 'UNAUTHENTICATED' || outcome === 'FORBIDDEN' || outcome === 'NOT_FOUND' || outcome === 'ILLEGAL_TRANSITION';

    if (outcome === 'UNAUTHENTICATED' || outcome === 'FORBIDDEN') {
      expect(response.status).toBe(200);
      expect(response.errors ?? []).not.toHaveLength(0);
      expect(response.errors!.map((error) => error.extensions?.code)).toEqual(response.errors!.map(() => outcome));
      expect(response.errors!.map((error) => error.message)).toEqual(response.errors!.map(() => expect.stringMatching(/\S/)));
      // A refused mutation's non-null payload nulls the whole data; a refused query's root field is null.
      expect(response.data).toEqual(row.mutation ? null : { [row.root]: null });
    } else if (outcome === 'NOT_FOUND' || outcome === 'ILLEGAL_TRANSITION') {
      expect(response.errors).toBeUndefined();
      const { userErrors, ...rest } = response.data![row.root];
      expect(userErrors).toEqual([{ code: outcome, field: 'input.courseId', message: expect.stringMatching(/\S/) }]);
      // No course (nor deleted id) comes with the refusal.
      expect(Object.values(rest)).toEqual([null]);
    } else {
      expect(response.errors).toBeUndefined();
      await row.check(outcome, response.data, target, actor);
    }

    if (refused || !row.mutation) expect(await snapshot()).toEqual(before);
    // A deleted draft has no seats left to check.
    if (target.courseId && (await courseRow(target.courseId))) await expectSeatInvariant(stack, target.courseId);
  });
});

describe('federation and paging', () => {
  test('Course.instructor { displayName } and Order.student { displayName } resolve through the accounts subgraph', async () => {
    const owner = accounts['instructor (owner)'];
    const catalog = await ok('{ courses(first: 100) { edges { node { id instructorId instructor { id displayName } } } } }', {}, null);
    const listed = catalog.courses.edges.map((edge: Data) => edge.node).find((node: Data) => node.id === shared.published);
    expect(listed).toEqual({ id: shared.published, instructorId: owner.id, instructor: { id: owner.id, displayName: owner.displayName } });

    const order = await ok(
      'query ($id: ID!) { order(id: $id) { student { id displayName } course { instructor { displayName } } } }',
      { id: shared.order },
      accounts.student.token,
    );
    expect(order.order).toEqual({
      student: { id: accounts.student.id, displayName: accounts.student.displayName },
      course: { instructor: { displayName: owner.displayName } },
    });
    const viaCourse = await ok(
      'query ($id: ID!) { course(id: $id) { orders { edges { node { student { displayName } } } } } }',
      { id: shared.published },
      owner.token,
    );
    expect(viaCourse.course.orders.edges).toEqual([{ node: { student: { displayName: accounts.student.displayName } } }]);
  });

  /** Walks a connection page by page; returns the pages' ids and hasNextPage flags. */
  async function walk(query: string, variables: object, token: string, connection: (data: Data) => Data, first: number) {
    const pages: { ids: string[]; hasNextPage: boolean }[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 20; guard++) {
      const data = await ok(query, { ...variables, first, after }, token);
      const page = connection(data);
      pages.push({ ids: page.edges.map((edge: Data) => edge.node.id), hasNextPage: page.pageInfo.hasNextPage });
      expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor ?? null);
      if (!page.pageInfo.hasNextPage) return pages;
      after = page.pageInfo.endCursor;
    }
    throw new Error('paging did not end');
  }

  test('User.orders pages with first/after, newest first, each order once', async () => {
    const buyer = await signUp('Paige Buyer', 'STUDENT');
    const placed: string[] = [];
    for (let i = 0; i < 5; i++) placed.push(await orderOf(await ownersCourse('PUBLISHED'), buyer));
    const pages = await walk(
      'query ($first: Int, $after: String) { me { orders(first: $first, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } } }',
      {},
      buyer.token,
      (data) => data.me.orders,
      2,
    );
    expect(pages.map((page) => page.ids.length)).toEqual([2, 2, 1]);
    expect(pages.map((page) => page.hasNextPage)).toEqual([true, true, false]);
    expect(pages.flatMap((page) => page.ids)).toEqual([...placed].reverse());
  });

  test('Course.orders pages with first/after for the instructor, newest first, each order once', async () => {
    const courseId = await ownersCourse('PUBLISHED', 10);
    const buyers = [accounts.student, accounts['other student'], await signUp('Third Buyer', 'STUDENT')];
    const placed: string[] = [];
    for (const buyer of buyers) placed.push(await orderOf(courseId, buyer));
    const query =
      'query ($id: ID!, $first: Int, $after: String) { course(id: $id) { orders(first: $first, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } } }';
    for (const token of [accounts['instructor (owner)'].token, accounts.admin.token]) {
      const pages = await walk(query, { id: courseId }, token, (data) => data.course.orders, 2);
      expect(pages).toEqual([
        { ids: [placed[2], placed[1]], hasNextPage: true },
        { ids: [placed[0]], hasNextPage: false },
      ]);
    }
    await expectSeatInvariant(stack, courseId);
  });
});
