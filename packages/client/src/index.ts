/**
 * Typed documents for coursegraph's public API: each operation in
 * `operations/*.graphql`, generated against `schema/api.graphql` by
 * `npm run codegen` (codegen.yml) with its variables and result types.
 */
export * from './__generated__/operations';
