/** Hostile requests over HTTP: malformed bodies, limits of size, depth and cost. */
import type { AbuseCase } from './types';
import { post } from './send';

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
      post(stack.gatewayUrl, { query: '{ __typename }' }, { authorization: `Bearer ${stack.token({ userId: '00000000-0000-4000-8000-000000000000', roles: ['ADMIN'] }).slice(0, -4)}AAAA` }),
    expectCode: 'UNAUTHENTICATED',
  },
];
