/**
 * Instructor profiles through the gateway (issue 12, item 4): updateProfile's
 * validation and who may call it, user(id) with public fields only, the
 * instructors list paged to the end by keyset with search, and
 * User.publishedCourseCount from the course subgraph, batched into one SQL
 * statement per page.
 */
import { randomUUID } from 'node:crypto';
import type { Role, Viewer } from '@coursegraph/runtime';
import { InstructorsDocument, UpdateProfileDocument, UserProfileDocument, type InstructorsQuery } from '@coursegraph/client';
import { statementsDuring } from '@coursegraph/devkit/sql';
import { createCourse } from '@coursegraph/devkit/fixtures';
import { startStack, type GraphQLResponse, type Stack } from '@coursegraph/devkit/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

interface Person extends Viewer {
  email: string;
  displayName: string;
}

/** Inserts an account straight into the accounts database (no password needed: the tests sign tokens). */
async function insertUser(role: Role, displayName: string, headline = ''): Promise<Person> {
  const id = randomUUID();
  const email = `${role.toLowerCase()}-${id.slice(0, 8)}@example.com`;
  await stack.accountsDb.query(
    `INSERT INTO app_user (id, email, email_key, display_name, password_hash, roles, headline) VALUES ($1, $2::varchar, lower($2::varchar), $3, 'x', ARRAY[$4]::varchar[], $5)`,
    [id, email, displayName, role, headline],
  );
  return { userId: id, roles: [role], email, displayName };
}

const profileRow = async (userId: string) =>
  (await stack.accountsDb.query('SELECT headline, bio, website, updated_at FROM app_user WHERE id = $1', [userId])).rows[0];

const update = (viewer: Viewer | null, input: { headline?: string | null; bio?: string | null; website?: string | null }) =>
  stack.call(UpdateProfileDocument, { input }, viewer);

describe('updateProfile', () => {
  let me: Person;
  beforeAll(async () => {
    me = await insertUser('INSTRUCTOR', 'Profile Owner');
  });

  test('sets headline, bio and website at their upper bounds, trimmed; omitted fields stay; empty clears', async () => {
    const headline = 'h'.repeat(120);
    const bio = `${'b'.repeat(998)}\n\n${'c'.repeat(1000)}`;
    const website = `https://example.com/${'p'.repeat(200 - 'https://example.com/'.length)}`;
    const answer = await update(me, { headline: `  ${headline} `, bio, website });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.updateProfile).toEqual({
      user: expect.objectContaining({ id: me.userId, headline, bio, website }),
      userErrors: [],
    });
    expect(await profileRow(me.userId)).toMatchObject({ headline, bio, website });

    // Only the headline: bio and website stay.
    const again = await update(me, { headline: 'Teaches databases' });
    expect(again.data!.updateProfile.user).toMatchObject({ headline: 'Teaches databases', bio, website });
    // Empty strings clear; a null website removes it.
    const cleared = await update(me, { headline: '', bio: '', website: null });
    expect(cleared.data!.updateProfile.user).toMatchObject({ headline: '', bio: '', website: null });
    expect(await profileRow(me.userId)).toMatchObject({ headline: '', bio: '', website: null });
  });

  const refusals: [string, { headline?: string; bio?: string; website?: string }, string][] = [
    ['headline of 121 characters', { headline: 'h'.repeat(121) }, 'input.headline'],
    ['headline with a line break', { headline: 'one\ntwo' }, 'input.headline'],
    ['bio of 2001 characters', { bio: 'b'.repeat(2001) }, 'input.bio'],
    ['website of 201 characters', { website: `https://example.com/${'p'.repeat(201 - 'https://example.com/'.length)}` }, 'input.website'],
    ['javascript: website', { website: 'javascript:alert(1)' }, 'input.website'],
    ['ftp: website', { website: 'ftp://example.com/file' }, 'input.website'],
    ['data: website', { website: 'data:text/html,<script>alert(1)</script>' }, 'input.website'],
    ['website with user and password', { website: 'https://user:secret@example.com/' }, 'input.website'],
    ['website with a user name', { website: 'https://user@example.com/' }, 'input.website'],
    ['website with empty credentials', { website: 'https://:@example.com/' }, 'input.website'],
    ['website with a backslash before @', { website: 'https://example.com\\@evil.example/' }, 'input.website'],
    ['website with an empty host and a port', { website: 'http://:80/' }, 'input.website'],
    ['relative website', { website: '/about' }, 'input.website'],
    ['website without a scheme', { website: 'example.com' }, 'input.website'],
    ['website without slashes', { website: 'https:example.com' }, 'input.website'],
    ['website without a host', { website: 'https:///path' }, 'input.website'],
    ['website with a space in the host', { website: 'https://exa mple.com' }, 'input.website'],
    ['website on two lines', { website: 'https://example.com/\nx' }, 'input.website'],
  ];
  test.each(refusals)('refuses a %s with VALIDATION naming the field, changing nothing', async (_name, input, field) => {
    await update(me, { headline: 'Before', bio: 'Before bio', website: 'https://before.example.com' });
    const before = await profileRow(me.userId);
    const answer = await update(me, { headline: 'After', bio: 'After bio', website: 'http://after.example.com', ...input });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.updateProfile.user).toBeNull();
    expect(answer.data!.updateProfile.userErrors).toEqual([{ code: 'VALIDATION', field, message: expect.any(String) }]);
    expect(await profileRow(me.userId)).toEqual(before);
  });

  test('accepts http and https websites with ports, paths, queries and upper-case schemes', async () => {
    for (const website of ['http://example.com', 'HTTPS://Example.com:8443/a/b?c=d#e', 'https://xn--bcher-kva.example/']) {
      const answer = await update(me, { website });
      expect(answer.data!.updateProfile).toEqual({ user: expect.objectContaining({ website }), userErrors: [] });
    }
  });

  test('anonymous callers get UNAUTHENTICATED and change nothing', async () => {
    const before = (await stack.accountsDb.query('SELECT * FROM app_user ORDER BY id')).rows;
    const answer = await update(null, { headline: 'Anonymous' });
    expect(answer.data ?? null).toBeNull();
    expect(answer.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await stack.accountsDb.query('SELECT * FROM app_user ORDER BY id')).rows).toEqual(before);
  });

  test("a user changes only their own profile: the token says whose, and nobody else's row moves", async () => {
    const other = await insertUser('INSTRUCTOR', 'Someone Else', 'Untouched');
    const otherBefore = await profileRow(other.userId);
    const answer = await update(me, { headline: 'Mine only' });
    expect(answer.data!.updateProfile.user).toMatchObject({ id: me.userId, headline: 'Mine only' });
    expect(await profileRow(other.userId)).toEqual(otherBefore);
    // Even an admin's updateProfile changes the admin's own profile.
    const admin = await insertUser('ADMIN', 'Admin Person');
    const byAdmin = await update(admin, { headline: 'Admin headline' });
    expect(byAdmin.data!.updateProfile.user).toMatchObject({ id: admin.userId, headline: 'Admin headline' });
    expect(await profileRow(other.userId)).toEqual(otherBefore);
  });
});

describe('user(id)', () => {
  test('shows public fields to anyone and the e-mail address only to the user and admins', async () => {
    const teacher = await insertUser('INSTRUCTOR', 'Public Teacher');
    await update(teacher, { headline: 'Public headline', bio: 'Line one\nLine two', website: 'https://teacher.example.com' });
    const viewers: [string, Viewer | null, string | null][] = [
      ['anonymous', null, null],
      ['another student', { userId: randomUUID(), roles: ['STUDENT'] }, null],
      ['another instructor', { userId: randomUUID(), roles: ['INSTRUCTOR'] }, null],
      ['the user', teacher, teacher.email],
      ['an admin', { userId: randomUUID(), roles: ['ADMIN'] }, teacher.email],
    ];
    for (const [who, viewer, email] of viewers) {
      const answer = await stack.call(UserProfileDocument, { id: teacher.userId }, viewer);
      expect({ who, answer }).toEqual({
        who,
        answer: {
          status: 200,
          data: {
            user: {
              id: teacher.userId,
              displayName: 'Public Teacher',
              email,
              roles: ['INSTRUCTOR'],
              headline: 'Public headline',
              bio: 'Line one\nLine two',
              website: 'https://teacher.example.com',
            },
          },
        },
      });
    }
  });

  test('an unknown id is null; a malformed one is BAD_USER_INPUT; upper-case ids find the user', async () => {
    expect((await stack.call(UserProfileDocument, { id: randomUUID() })).data).toEqual({ user: null });
    const malformed = await stack.call(UserProfileDocument, { id: 'not-a-uuid' });
    expect(malformed.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const someone = await insertUser('STUDENT', 'Case Test');
    expect((await stack.call(UserProfileDocument, { id: someone.userId.toUpperCase() })).data?.user?.id).toBe(someone.userId);
  });
});

describe('instructors', () => {
  type Node = InstructorsQuery['instructors']['edges'][number]['node'];

  /** Every page of instructors(first, search), following endCursor to the end. */
  async function pageAll(first: number, search?: string): Promise<{ nodes: Node[]; pages: number }> {
    const nodes: Node[] = [];
    let after: string | null = null;
    for (let pages = 1; ; pages++) {
      if (pages > 200) throw new Error('instructors never ends: a cursor repeats a page');
      const answer: GraphQLResponse<InstructorsQuery> = await stack.call(InstructorsDocument, { first, after, search });
      expect(answer.errors).toBeUndefined();
      const { edges, pageInfo } = answer.data!.instructors;
      expect(edges.length).toBeLessThanOrEqual(first);
      nodes.push(...edges.map((edge) => edge.node));
      expect(pageInfo.endCursor).toBe(edges.length ? edges[edges.length - 1]!.cursor : null);
      if (!pageInfo.hasNextPage) return { nodes, pages };
      expect(edges).toHaveLength(first);
      after = pageInfo.endCursor;
    }
  }

  /** The instructors' ids in the list's order, as PostgreSQL sorts them (its collation decides name order). */
  async function expectedIds(where = 'true', params: unknown[] = []): Promise<string[]> {
    const { rows } = await stack.accountsDb.query(
      `SELECT id FROM app_user WHERE 'INSTRUCTOR' = ANY (roles) AND (${where}) ORDER BY display_name, id`,
      params,
    );
    return rows.map((row: { id: string }) => row.id);
  }

  let team: Person[];
  beforeAll(async () => {
    team = [];
    // 23 instructors, three sharing one name (ties go by id), and students who must not appear.
    for (let i = 0; i < 20; i++)
      team.push(await insertUser('INSTRUCTOR', `Teacher ${String(i).padStart(2, '0')}`, i % 5 === 0 ? 'Teaches KUBERNETES' : ''));
    for (let i = 0; i < 3; i++) team.push(await insertUser('INSTRUCTOR', 'Same Name'));
    for (let i = 0; i < 4; i++) await insertUser('STUDENT', `Student ${i}`);
  });

  test.each([1, 7, 100])('paged by %i to the end: every instructor once, by display name then id, no students', async (first) => {
    const expected = await expectedIds();
    expect(expected.length).toBeGreaterThanOrEqual(team.length);
    const { nodes, pages } = await pageAll(first);
    expect(nodes.map((node) => node.id)).toEqual(expected);
    expect(pages).toBe(Math.max(1, Math.ceil(expected.length / first)));
    // Names ascend; equal names by id (the "Same Name" trio).
    const same = nodes.filter((node) => node.displayName === 'Same Name').map((node) => node.id);
    expect(same).toEqual(
      team
        .slice(20)
        .map((person) => person.userId)
        .sort(),
    );
    const teachers = nodes.filter((node) => node.displayName.startsWith('Teacher ')).map((node) => node.displayName);
    expect(teachers).toEqual([...teachers].sort());
    expect(nodes.some((node) => node.displayName.startsWith('Student '))).toBe(false);
  });

  test('search matches display name or headline, ignoring case, and pages by 1 and 7', async () => {
    for (const first of [1, 7]) {
      const byName = await pageAll(first, 'tEaChEr 1');
      expect(byName.nodes.map((node) => node.displayName)).toEqual([...Array(10).keys()].map((i) => `Teacher 1${i}`));
      const byHeadline = await pageAll(first, '  kubernetes ');
      expect(byHeadline.nodes.map((node) => node.id)).toEqual(await expectedIds(`headline ILIKE '%kubernetes%'`));
      expect(byHeadline.nodes.map((node) => node.displayName)).toEqual(['Teacher 00', 'Teacher 05', 'Teacher 10', 'Teacher 15']);
    }
    // LIKE wildcards in a search are plain characters.
    expect((await pageAll(7, 'Teacher _0')).nodes).toEqual([]);
    expect((await pageAll(7, '%')).nodes).toEqual([]);
    // A blank search is no search.
    expect((await pageAll(100, '   ')).nodes.map((node) => node.id)).toEqual(await expectedIds());
  });

  test('refuses bad arguments with BAD_USER_INPUT', async () => {
    const first = await stack.call(InstructorsDocument, { first: 2 });
    const cursor = first.data!.instructors.pageInfo.endCursor!;
    const searched = (await stack.call(InstructorsDocument, { first: 2, search: 'Teacher' })).data!.instructors.pageInfo.endCursor!;
    const [name, id, tag] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string, string];
    const encode = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
    // The real cursor, re-made by the test, is accepted: the refusals below are about what was changed.
    expect((await stack.call(InstructorsDocument, { first: 2, after: encode([name, id, tag]) })).errors).toBeUndefined();
    const cases: [string, { first?: number; after?: string; search?: string }][] = [
      ['first 0', { first: 0 }],
      ['first 101', { first: 101 }],
      ['garbage cursor', { after: 'garbage' }],
      ['cursor of two parts', { after: encode([name, id]) }],
      ['cursor of four parts', { after: encode([name, id, tag, tag]) }],
      ['cursor with a number for a name', { after: encode([7, id, tag]) }],
      ['cursor with a name of 101 characters', { after: encode(['x'.repeat(101), id, tag]) }],
      ['cursor with NUL in the name', { after: encode(['Teacher\u0000', id, tag]) }],
      ['cursor with a malformed id', { after: encode([name, 'not-a-uuid', tag]) }],
      ['cursor with an upper-case id', { after: encode([name, id.toUpperCase(), tag]) }],
      ['cursor with a number for a search', { after: encode([name, id, 0]) }],
      ['cursor spelt another way', { after: encode(`[ ${JSON.stringify(name)}, "${id}", "${tag}" ]`) }],
      ['cursor of another search, made without one', { after: cursor, search: 'teacher' }],
      ['cursor of another search, made with one and used without', { after: searched }],
      ['search of 101 characters', { search: 'x'.repeat(101) }],
    ];
    for (const [name, variables] of cases) {
      const answer = await stack.call(InstructorsDocument, variables);
      const message = variables.after ? (name.includes('another search') ? /another `search`/ : /not a cursor/) : /./;
      expect({ name, code: answer.errors?.[0]?.extensions?.code, data: answer.data ?? null }).toEqual({ name, code: 'BAD_USER_INPUT', data: null });
      expect({ name, message: answer.errors![0]!.message }).toEqual({ name, message: expect.stringMatching(message) });
    }
    // A search of 100 characters is allowed.
    expect((await stack.call(InstructorsDocument, { search: 'x'.repeat(100) })).data).toEqual({
      instructors: { edges: [], pageInfo: { hasNextPage: false, endCursor: null } },
    });
  });
});

describe('User.publishedCourseCount', () => {
  const courseQueriesDuring = async (work: () => Promise<unknown>) => (await statementsDuring({ course: stack.courseDatabaseUrl }, work)).course;

  test('counts published courses only, for a page of instructors, in ONE course-subgraph SQL statement', async () => {
    const prefix = `Counted ${randomUUID().slice(0, 6)}`;
    const [a, b, c] = [
      await insertUser('INSTRUCTOR', `${prefix} A`),
      await insertUser('INSTRUCTOR', `${prefix} B`),
      await insertUser('INSTRUCTOR', `${prefix} C`),
    ];
    for (let i = 0; i < 3; i++) await createCourse(stack, { instructor: a });
    await createCourse(stack, { instructor: a, publish: false });
    const archived = await createCourse(stack, { instructor: a });
    await stack.courseDb.query(`UPDATE course SET status = 'ARCHIVED' WHERE id = $1`, [archived.id]);
    await createCourse(stack, { instructor: b });
    await createCourse(stack, { instructor: c, publish: false });

    let answer: GraphQLResponse<InstructorsQuery> | undefined;
    const queries = await courseQueriesDuring(async () => {
      answer = await stack.call(InstructorsDocument, { first: 7, search: prefix });
    });
    expect(answer!.errors).toBeUndefined();
    expect(answer!.data!.instructors.edges.map(({ node }) => [node.displayName, node.publishedCourseCount])).toEqual([
      [`${prefix} A`, 3],
      [`${prefix} B`, 1],
      [`${prefix} C`, 0],
    ]);
    expect(queries).toHaveLength(1);
    expect(queries[0]).toMatch(/FROM course/i);

    // A full page of instructors with no courses still costs one statement.
    const many = await courseQueriesDuring(() => stack.call(InstructorsDocument, { first: 7 }));
    expect(many).toHaveLength(1);
  });
});
