/**
 * Hostile requests over HTTP: malformed bodies and methods, limits of size,
 * depth, cost (on coerced variables), aliases, tokens and directives,
 * persisted-query and variable mistakes. Suggestions in production are
 * tested against a production gateway in tests/http-limits.e2e.test.ts.
 */
import { createHash } from 'node:crypto';
import type { AbuseCase } from './types';
import { post, request } from './send';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const aliased = (count: number, selection: string) => `{ ${Array.from({ length: count }, (_v, i) => `a${i}: ${selection}`).join(' ')} }`;

export const httpCases: AbuseCase[] = [
  {
    name: 'a body that is not JSON',
    send: ({ stack }) => post(stack.gatewayUrl, '{"query": '),
    expectCode: 'BAD_REQUEST',
  },
  {
    name: 'a body over the size limit',
    send: ({ stack }) => post(stack.gatewayUrl, { query: '{ __typename }', variables: { pad: 'x'.repeat(200_000) } }),
    expectCode: 'BAD_REQUEST',
  },
  {
    name: 'a selection nested deeper than the depth limit',
    send: ({ stack }) =>
      post(stack.gatewayUrl, {
        query: `{ courses(first: 1) { edges { node { ${'instructor { coursesTaught(first: 1) { edges { node { '.repeat(3)}id${' } } } }'.repeat(3)} } } } }`,
      }),
    expectCode: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'a bearer token signed with another secret',
    send: ({ stack }) =>
      post(
        stack.gatewayUrl,
        { query: '{ __typename }' },
        { authorization: `Bearer ${stack.token({ userId: '00000000-0000-4000-8000-000000000000', roles: ['ADMIN'] }).slice(0, -4)}AAAA` },
      ),
    expectCode: 'UNAUTHENTICATED',
  },
  {
    name: 'page sizes passed as variables to escape the cost limit (issue 9 item 6)',
    send: ({ stack }) =>
      post(stack.gatewayUrl, {
        query: 'query($n: Int) { courses(first: $n) { edges { node { instructor { coursesTaught(first: $n) { edges { node { id title } } } } } } } }',
        variables: { n: 100 },
      }),
    expectCode: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'seven aliases of a page of 100 courses with their instructors',
    // About 800 each: 100 times (edges, node, three fields, instructor and two fields).
    send: ({ stack }) =>
      post(stack.gatewayUrl, { query: aliased(7, 'courses(first: 100) { edges { node { id title description instructor { id displayName } } } }') }),
    expectCode: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: '500 aliases of an introspection query (issue 9 item 7)',
    send: ({ stack }) => post(stack.gatewayUrl, { query: aliased(500, '__schema { types { name fields { name } } }') }),
    expectCode: 'GRAPHQL_PARSE_FAILED',
  },
  {
    name: 'more aliases than the alias limit, each small',
    send: ({ stack }) => post(stack.gatewayUrl, { query: aliased(40, '__type(name: "Query") { name }') }),
    expectCode: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'introspection nested type in field in type, to multiply its answer',
    send: ({ stack }) =>
      post(stack.gatewayUrl, {
        query: '{ __schema { types { fields { type { ofType { fields { type { ofType { fields { type { name } } } } } } } } } } }',
      }),
    expectCode: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'a token flood within the body limit',
    send: ({ stack }) => post(stack.gatewayUrl, { query: `{ ${'__typename '.repeat(8_000)}}` }),
    expectCode: 'GRAPHQL_PARSE_FAILED',
  },
  {
    name: 'a directive flood',
    send: ({ stack }) =>
      post(stack.gatewayUrl, {
        query: `query($t: Boolean = true) { ${Array.from({ length: 50 }, (_v, i) => `f${i}: __typename @include(if: $t)`).join(' ')} }`,
      }),
    expectCode: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'a fragment cycle',
    send: ({ stack }) => post(stack.gatewayUrl, { query: '{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }' }),
    expectCode: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'fragments nested through each other beyond the depth limit',
    send: ({ stack }) =>
      post(stack.gatewayUrl, {
        query: `{ courses { edges { node { instructor { ...D0 } } } } } ${Array.from({ length: 8 }, (_v, i) => `fragment D${i} on User { coursesTaught { edges { node { instructor { ...D${i + 1} } } } } }`).join(' ')} fragment D8 on User { id }`,
      }),
    expectCode: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'fragments that each spread the next twice (2^40 selections)',
    send: ({ stack }) =>
      post(stack.gatewayUrl, {
        query: `{ ...F0 } ${Array.from({ length: 40 }, (_v, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`).join(' ')} fragment F40 on Query { courses { edges { cursor } } }`,
      }),
    expectCode: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'a 90 kB string literal as an id',
    send: ({ stack }) => post(stack.gatewayUrl, { query: `{ course(id: "${'x'.repeat(90_000)}") { id } }` }),
    expectCode: 'BAD_USER_INPUT',
  },
  {
    name: 'an automatic persisted query whose hash does not match its query (issue 9 item 13)',
    send: ({ stack }) =>
      post(stack.gatewayUrl, { query: '{ __typename }', extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ me { id email } }') } } }),
    expectCode: 'PERSISTED_QUERY_HASH_MISMATCH',
  },
  {
    name: 'an automatic persisted query by a hash never registered',
    send: ({ stack }) => post(stack.gatewayUrl, { extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ me { id email } }') } } }),
    expectCode: 'PERSISTED_QUERY_NOT_FOUND',
  },
  {
    name: 'an automatic persisted query with a malformed hash',
    send: ({ stack }) => post(stack.gatewayUrl, { extensions: { persistedQuery: { version: 1, sha256Hash: '../../etc/passwd' } } }),
    expectCode: 'PERSISTED_QUERY_NOT_SUPPORTED',
  },
  {
    name: 'a mutation sent as a GET request',
    send: ({ stack, orderId }) =>
      request(
        `${stack.gatewayUrl}?query=${encodeURIComponent(`mutation { cancelOrder(input: { orderId: "${orderId}" }) { order { id status } } }`)}`,
        {
          headers: { 'apollo-require-preflight': 'true' },
        },
      ),
    expectCode: 'BAD_REQUEST',
  },
  {
    name: 'a GET request without a CSRF preflight header',
    send: ({ stack }) => request(`${stack.gatewayUrl}?query=${encodeURIComponent('{ __typename }')}`, {}),
    expectCode: 'BAD_REQUEST',
  },
  {
    name: 'a batched array of operations',
    send: ({ stack }) =>
      post(
        stack.gatewayUrl,
        Array.from({ length: 50 }, () => ({ query: '{ courses { edges { cursor } } }' })),
      ),
    expectCode: 'BAD_REQUEST',
  },
  {
    name: 'a GraphQL body sent as text/plain',
    send: ({ stack }) =>
      request(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: '{ __typename }' }) }),
    expectCode: 'BAD_REQUEST',
  },
  {
    name: 'a GraphQL body sent as a form',
    send: ({ stack }) =>
      request(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'query=%7B__typename%7D' }),
    expectCode: 'BAD_REQUEST',
  },
  {
    name: 'a PUT request',
    send: ({ stack }) =>
      request(stack.gatewayUrl, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      }),
    expectCode: 'BAD_REQUEST',
  },
  {
    name: 'a required variable left out',
    send: ({ stack, student }) =>
      post(stack.gatewayUrl, { query: 'query($id: ID!) { order(id: $id) { id status } }' }, { authorization: `Bearer ${stack.token(student)}` }),
    expectCode: 'BAD_USER_INPUT',
  },
  {
    name: 'a required variable sent as null',
    send: ({ stack, student }) =>
      post(
        stack.gatewayUrl,
        { query: 'query($id: ID!) { order(id: $id) { id status } }', variables: { id: null } },
        { authorization: `Bearer ${stack.token(student)}` },
      ),
    expectCode: 'BAD_USER_INPUT',
  },
  {
    name: 'a variable of the wrong type',
    send: ({ stack }) =>
      post(stack.gatewayUrl, { query: 'query($n: Int) { courses(first: $n) { edges { cursor } } }', variables: { n: { $gt: 0 } } }),
    expectCode: 'BAD_USER_INPUT',
  },
  {
    name: 'variables sent as a JSON-encoded string',
    send: ({ stack }) => post(stack.gatewayUrl, { query: 'query($n: Int) { courses(first: $n) { edges { cursor } } }', variables: '{"n": 1}' }),
    expectCode: 'BAD_REQUEST',
  },
  {
    name: 'an operation name the document does not have',
    send: ({ stack }) => post(stack.gatewayUrl, { query: 'query A { __typename } query B { __typename }', operationName: 'C' }),
    expectCode: 'OPERATION_RESOLUTION_FAILURE',
  },
  {
    name: 'a subscription sent over HTTP',
    send: ({ stack, publishedCourseId }) =>
      post(stack.gatewayUrl, { query: `subscription { seatsChanged(courseIds: ["${publishedCourseId}"]) { courseId seatsAvailable } }` }),
    expectCode: 'BAD_REQUEST',
  },
  {
    name: 'a subscription over HTTP whose root field carries @include(if: $v)',
    send: ({ stack, publishedCourseId }) =>
      post(stack.gatewayUrl, {
        query: 'subscription ($ids: [ID!]!, $v: Boolean!) { seatsChanged(courseIds: $ids) @include(if: $v) { courseId } }',
        variables: { ids: [publishedCourseId], v: true },
      }),
    expectCode: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'a query run from a document whose other operation, a subscription, has @skip on its root (GET)',
    send: ({ stack }) => {
      const query =
        'query Q { __typename } subscription S($v: Boolean!) { ... on Subscription @skip(if: $v) { seatsChanged(courseIds: []) { courseId } } }';
      return request(`${stack.gatewayUrl}?${new URLSearchParams({ query, operationName: 'Q' })}`, {
        method: 'GET',
        headers: { 'apollo-require-preflight': 'true' },
      });
    },
    expectCode: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'a subscription over HTTP whose root field carries @ include, with a comment and a comma after the @',
    send: ({ stack, publishedCourseId }) =>
      post(stack.gatewayUrl, {
        query: 'subscription ($ids: [ID!]!, $v: Boolean!) { seatsChanged(courseIds: $ids) @ #why\n, include(if: $v) { courseId } }',
        variables: { ids: [publishedCourseId], v: true },
      }),
    expectCode: 'GRAPHQL_VALIDATION_FAILED',
  },
];
