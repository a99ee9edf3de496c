/**
 * The operation limits on their own, as the websocket path calls them
 * (`checkOperation`), on the public API schema: every shipped operation
 * passes with the default limits at the largest page size, and the
 * hostile ones get the codes HTTP gives.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  parse,
  typeFromAST,
  type GraphQLInputType,
  type OperationDefinitionNode,
} from 'graphql';
import { MAX_PAGE_SIZE } from '@coursegraph/runtime';
import { createOperationLimits, type QueryLimits } from '../src/limits';

const root = join(__dirname, '..', '..');
const schema = buildSchema(readFileSync(join(root, 'schema', 'api.graphql'), 'utf8'));
/** The defaults of gateway/src/config.ts. */
const DEFAULTS: QueryLimits = { maxDepth: 12, maxCost: 5_000, maxAliases: 15, maxDirectives: 10, maxTokens: 2_000, hideSuggestions: false };
const limits = createOperationLimits(DEFAULTS);
const check = (query: string, variables: Record<string, unknown> = {}, operationName?: string) =>
  limits.checkOperation(schema, query, variables, operationName).map((error) => ({ message: error.message, code: error.extensions.code }));

/** A valid value of `type`, page sizes at their largest, every optional field filled. */
function sample(type: GraphQLInputType, name: string): unknown {
  if (isNonNullType(type)) return sample(type.ofType, name);
  if (isListType(type)) return [sample(type.ofType, name)];
  const named = getNamedType(type);
  if (isEnumType(named)) return named.getValues()[0]!.value;
  if (isInputObjectType(named))
    return Object.fromEntries(Object.values(named.getFields()).map((field) => [field.name, sample(field.type, field.name)]));
  switch (named.name) {
    case 'Int':
      return name === 'first' ? MAX_PAGE_SIZE : 1;
    case 'ID':
      return '00000000-0000-4000-8000-000000000000';
    case 'Boolean':
      return true;
    case 'Float':
      return 1;
    default:
      return name === 'currency' ? 'USD' : 'x';
  }
}

describe('checkOperation (the websocket entry to the same limits as HTTP)', () => {
  // One document, as codegen reads them: fragments are shared across files.
  const source = readdirSync(join(root, 'packages', 'client', 'operations'))
    .filter((file) => file.endsWith('.graphql'))
    .map((file) => readFileSync(join(root, 'packages', 'client', 'operations', file), 'utf8'))
    .join('\n');
  const operations = parse(source)
    .definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === 'OperationDefinition')
    .map((operation) => ({ source, operation }));

  test.each(operations.map(({ source, operation }) => [operation.name!.value, source, operation] as const))(
    'shipped operation %s passes at the largest page size',
    (name, source, operation) => {
      const variables = Object.fromEntries(
        (operation.variableDefinitions ?? []).map((definition) => [
          definition.variable.name.value,
          sample(typeFromAST(schema, definition.type as never) as GraphQLInputType, definition.variable.name.value),
        ]),
      );
      expect(check(source, variables, name)).toEqual([]);
    },
  );

  test('page sizes in variables cost what literals cost', () => {
    const query =
      'query($n: Int) { courses(first: $n) { edges { node { instructor { coursesTaught(first: $n) { edges { node { id title } } } } } } } }';
    const refused = [{ message: 'Query cost limit of 5000 exceeded, found 40401.', code: 'GRAPHQL_VALIDATION_FAILED' }];
    expect(check(query, { n: 100 })).toEqual(refused);
    expect(check(query.replace('($n: Int)', '').replace(/\$n/g, '100'))).toEqual(refused);
    expect(check(query, { n: 5 })).toEqual([]);
  });

  test('one parsed document asked again with other variables is costed with them: page sizes and @include/@skip', () => {
    // Apollo Server hands the same parsed document to every request with the same text, and the cost is kept per document.
    const costOf = (query: string) => {
      const document = parse(query);
      return (variables: Record<string, unknown>) =>
        limits.checkOperation(schema, document, variables, null).map((error) => error.message.replace(/^.*found (\d+)\.$/, '$1'));
    };
    const paged = costOf(
      'query($n: Int) { courses(first: $n) { edges { node { instructor { coursesTaught(first: $n) { edges { node { id title } } } } } } } }',
    );
    expect(paged({ n: 5 })).toEqual([]);
    expect(paged({ n: 100 })).toEqual(['40401']);
    expect(paged({ n: 5 })).toEqual([]);
    for (const [directive, cheap] of [
      ['@include(if: $x)', false],
      ['@skip(if: $x)', true],
    ] as const) {
      const included = costOf(
        `query($x: Boolean!) { courses(first: 100) { edges { node { instructor ${directive} { coursesTaught(first: 100) { edges { node { id } } } } } } } }`,
      );
      expect(included({ x: cheap })).toEqual([]);
      expect(included({ x: !cheap })).toEqual(['30401']);
      expect(included({ x: cheap })).toEqual([]);
    }
    // A cost no variable can change is the same for every request.
    const fixed = costOf('query($id: ID!) { course(id: $id) { id title } }');
    expect(fixed({ id: '00000000-0000-4000-8000-000000000000' })).toEqual([]);
    expect(fixed({ id: '00000000-0000-4000-8000-000000000001' })).toEqual([]);
  });

  test('client mistakes get client codes', () => {
    expect(check(`{ ${'__typename '.repeat(3_000)}}`)).toEqual([
      { message: 'Syntax Error: Document contains more that 2000 tokens. Parsing aborted.', code: 'GRAPHQL_PARSE_FAILED' },
    ]);
    expect(check('query($id: ID!) { course(id: $id) { id } }')).toEqual([
      { message: 'Variable "$id" of required type "ID!" was not provided.', code: 'BAD_USER_INPUT' },
    ]);
    expect(check('query A { __typename }', {}, 'B')).toEqual([{ message: 'Unknown operation named "B".', code: 'OPERATION_RESOLUTION_FAILURE' }]);
    expect(check(`{ ${Array.from({ length: 16 }, (_v, i) => `a${i}: __typename`).join(' ')} }`)).toEqual([]);
    expect(check(`{ ${Array.from({ length: 16 }, (_v, i) => `a${i}: __schema { description }`).join(' ')} }`)).toEqual([
      { message: 'Syntax Error: Aliases limit of 15 exceeded, found 16.', code: 'GRAPHQL_VALIDATION_FAILED' },
    ]);
  });

  test('suggestions are cut when hidden, from validation and variable errors alike', () => {
    const hidden = createOperationLimits({ ...DEFAULTS, hideSuggestions: true });
    const messages = (query: string, variables = {}) => hidden.checkOperation(schema, query, variables, undefined).map((error) => error.message);
    expect(messages('{ coursez { edges { cursor } } }')).toEqual(['Cannot query field "coursez" on type "Query".']);
    const register = 'mutation($i: RegisterInput!) { register(input: $i) { accessToken } }';
    expect(messages(register, { i: { email: 'a@example.com', password: 'long enough password', displayName: 'A', role: 'ADMN' } })).toEqual([
      'Variable "$i" got invalid value "ADMN" at "i.role"; Value "ADMN" does not exist in "Role" enum.',
    ]);
    expect(check('{ coursez { edges { cursor } } }')[0]!.message).toMatch(/Did you mean "course" or "courses"\?/);
  });
});
