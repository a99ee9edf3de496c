/**
 * guardInputs on a small subgraph schema: ids canonical and control
 * characters refused in every place an input can enter (arguments, nested
 * input fields, lists, entity representations, subscriptions), answered as a
 * VALIDATION user error where a payload can carry it and BAD_USER_INPUT
 * otherwise, without the resolver running.
 */
import { graphql, parse, subscribe, type ExecutionResult } from 'graphql';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { guardInputs } from '../src/inputs';
import { checkText } from '../src/validate';

const typeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Thing @key(fields: "id") { id: ID! ownerId: ID name: String }
  type UserError { code: String! field: String message: String! }
  type Payload { thing: Thing userErrors: [UserError!]! }
  type StrictPayload { done: Boolean! userErrors: [UserError!]! }
  input Inner { ids: [ID!]! label: String }
  input ThingInput { id: ID! name: String! inner: Inner count: Int }
  type Query { thing(id: ID!): Thing things(ids: [ID!]!): [Thing!]! echo(text: String!, n: Int): String }
  type Mutation { save(input: ThingInput!): Payload! strict(input: ThingInput!): StrictPayload! }
  type Subscription { watch(ids: [ID!]!): Thing! }
`);

const UPPER = 'A1B2C3D4-E5F6-4A7B-8C9D-0E1F2A3B4C5D';
const LOWER = UPPER.toLowerCase();

let calls: unknown[] = [];
const resolvers = {
  Query: {
    thing: (_: unknown, { id }: { id: string }) => (calls.push(id), { id }),
    things: (_: unknown, { ids }: { ids: string[] }) => (calls.push(ids), ids.map((id) => ({ id }))),
    echo: (_: unknown, { text }: { text: string }) => (calls.push(text), text),
  },
  Mutation: {
    save: (_: unknown, { input }: { input: unknown }) => (calls.push(input), { thing: null, userErrors: [] }),
    strict: (_: unknown, { input }: { input: unknown }) => (calls.push(input), { done: true, userErrors: [] }),
  },
  Subscription: {
    watch: {
      subscribe: async function* (_: unknown, { ids }: { ids: string[] }) {
        calls.push(ids);
        yield { watch: { id: ids[0] } };
      },
    },
  },
  Thing: {
    __resolveReference: (reference: { id: string; ownerId?: string }) => (calls.push(reference), reference),
  },
} as unknown as GraphQLResolverMap<unknown>;

const schema = guardInputs(buildSubgraphSchema({ typeDefs, resolvers }));
const run = (source: string, variableValues?: Record<string, unknown>) =>
  graphql({ schema, source, variableValues }) as Promise<ExecutionResult<Record<string, unknown>>>;
const codes = (result: ExecutionResult) => result.errors?.map((error) => error.extensions.code);

beforeEach(() => {
  calls = [];
});

describe('ids are canonical wherever they enter', () => {
  test('an argument, as a literal and as a variable', async () => {
    expect((await run(`{ thing(id: "${UPPER}") { id } }`)).data).toEqual({ thing: { id: LOWER } });
    expect((await run(`query ($id: ID!) { thing(id: $id) { id } }`, { id: UPPER })).data).toEqual({ thing: { id: LOWER } });
    expect(calls).toEqual([LOWER, LOWER]);
  });

  test('list items and nested input fields; strings that are not ids keep their case', async () => {
    await run(`query ($ids: [ID!]!) { things(ids: $ids) { id } }`, { ids: [UPPER, 'X'] });
    await run(`mutation ($input: ThingInput!) { save(input: $input) { userErrors { code } } }`, {
      input: { id: UPPER, name: 'Keep Case', inner: { ids: [UPPER], label: 'Also Kept' }, count: 3 },
    });
    expect(calls).toEqual([[LOWER, 'x'], { id: LOWER, name: 'Keep Case', inner: { ids: [LOWER], label: 'Also Kept' }, count: 3 }]);
  });

  test('every ID key field of an _entities representation', async () => {
    const result = await run(`query ($r: [_Any!]!) { _entities(representations: $r) { ... on Thing { id ownerId } } }`, {
      r: [{ __typename: 'Thing', id: UPPER, ownerId: UPPER }],
    });
    expect(result.data).toEqual({ _entities: [{ id: LOWER, ownerId: LOWER }] });
    expect(calls).toEqual([{ __typename: 'Thing', id: LOWER, ownerId: LOWER }]);
  });

  test("a subscription's arguments", async () => {
    const stream = (await subscribe({
      schema,
      document: parse(`subscription { watch(ids: ["${UPPER}"]) { id } }`),
    })) as AsyncGenerator<ExecutionResult>;
    expect((await stream.next()).value).toEqual({ data: { watch: { id: LOWER } } });
    expect(calls).toEqual([[LOWER]]);
  });
});

describe('control characters are refused before any resolver runs', () => {
  test.each([
    ['NUL', '\u0000'],
    ['ESC', '\u001b'],
    ['DEL', '\u007f'],
    ['a C1 control', '\u0085'],
    ['an unpaired surrogate', '\ud800'],
    ['an unpaired low surrogate', '\udc00'],
    ['a right-to-left override (U+202E)', '\u202e'],
    ['a left-to-right embedding (U+202A)', '\u202a'],
    ['a first-strong isolate (U+2068)', '\u2068'],
    ['a pop directional isolate (U+2069)', '\u2069'],
    ['a byte order mark (U+FEFF)', '\ufeff'],
    ['the noncharacter U+FFFF', '\uffff'],
    ['the noncharacter U+FFFE', '\ufffe'],
    ['the noncharacter U+FDD0', '\ufdd0'],
    ['the noncharacter U+1FFFE', '\u{1fffe}'],
    ['the noncharacter U+10FFFF', '\u{10ffff}'],
  ])('%s in a nested input field of a mutation with a payload: VALIDATION naming the field', async (_label, bad) => {
    const result = await run(`mutation ($input: ThingInput!) { save(input: $input) { thing { id } userErrors { code field } } }`, {
      input: { id: LOWER, name: 'ok', inner: { ids: [LOWER], label: `x${bad}y` } },
    });
    expect(result).toEqual({ data: { save: { thing: null, userErrors: [{ code: 'VALIDATION', field: 'input.inner.label' }] } } });
    expect(calls).toEqual([]);
  });

  test('in an id inside a list: the path names the item', async () => {
    const result = await run(`mutation ($input: ThingInput!) { save(input: $input) { userErrors { field } } }`, {
      input: { id: LOWER, name: 'ok', inner: { ids: [LOWER, '\u0000'] } },
    });
    expect(result.data).toEqual({ save: { userErrors: [{ field: 'input.inner.ids.1' }] } });
  });

  test('tabs, line breaks and ordinary Unicode pass', async () => {
    expect((await run(`query ($t: String!) { echo(text: $t) }`, { t: 'a\tb\nc\r\nd é 😀' })).data).toEqual({ echo: 'a\tb\nc\r\nd é 😀' });
  });

  test.each([
    ['emoji with zero-width joiners and a skin tone', '👩🏽‍💻 👨‍👩‍👧'],
    ['left-to-right and right-to-left marks', 'abc\u200e \u05d0\u200f'],
    ['a soft hyphen and combining marks', 'co\u00adop e\u0301 n\u0303'],
    ['CJK, Arabic and Hebrew', '中文 日本語 한국어 العربية עברית'],
    ['U+2028 and U+2029 (line breaks, refused only where line breaks are)', 'a\u2028b\u2029c'],
  ])('%s pass', async (_label, text) => {
    expect((await run(`query ($t: String!) { echo(text: $t) }`, { t: text })).data).toEqual({ echo: text });
  });

  test('a query argument: BAD_USER_INPUT', async () => {
    const result = await run(`query ($t: String!) { echo(text: $t) }`, { t: 'a\u0000' });
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(calls).toEqual([]);
  });

  test('a payload with another required field cannot carry it: BAD_USER_INPUT', async () => {
    const result = await run(`mutation ($input: ThingInput!) { strict(input: $input) { done } }`, { input: { id: LOWER, name: '\u0000' } });
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(calls).toEqual([]);
  });

  test('an _entities representation: BAD_USER_INPUT', async () => {
    const result = await run(`query ($r: [_Any!]!) { _entities(representations: $r) { ... on Thing { id } } }`, {
      r: [{ __typename: 'Thing', id: `${LOWER}\u0000` }],
    });
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(calls).toEqual([]);
  });

  test("a subscription's arguments: BAD_USER_INPUT", async () => {
    const result = (await subscribe({ schema, document: parse(`subscription { watch(ids: ["\\u0000"]) { id } }`) })) as ExecutionResult;
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(calls).toEqual([]);
  });
});

describe('checkText', () => {
  test.each([['\n'], ['\r'], ['\t'], ['\u2028'], ['\u2029']])('a single-line field refuses %j, a multiline one keeps it', (lineBreak) => {
    expect(checkText(`a${lineBreak}b`, 'input.title', 1, 100)).toEqual(expect.objectContaining({ code: 'VALIDATION', field: 'input.title' }));
    expect(checkText(`a${lineBreak}b`, 'input.description', 0, 100, true)).toBeNull();
  });

  test('refuses a bidi override even in multiline text', () => {
    expect(checkText('Admin\u202e\u2066', 'input.displayName', 1, 100, true)).toEqual(expect.objectContaining({ code: 'VALIDATION' }));
  });
});
