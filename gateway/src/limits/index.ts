/**
 * Limits on what one operation may ask for, the same over HTTP and
 * websockets (DESIGN.md, "API conventions": every request is bounded).
 *
 * - Tokens: graphql-js stops parsing a document past `maxTokens`
 *   (GRAPHQL_PARSE_FAILED), before any other work.
 * - Depth, aliases, directives: validation rules on the document alone
 *   (GRAPHQL_VALIDATION_FAILED). Aliases and directives of introspection
 *   count like any others; its depth does not (the standard introspection
 *   query is 15 deep), its cost does.
 * - Cost: computed once the operation and its variables are known, on the
 *   coerced arguments, so `first: $n` costs what `first: 100` costs
 *   (GRAPHQL_VALIDATION_FAILED). Validation rules never see variables, and
 *   Apollo Server caches validation per document, so the HTTP path checks
 *   cost in the plugin's `didResolveOperation`.
 * - Variables that do not coerce (missing, null for a non-null, wrong type)
 *   are the client's mistake: BAD_USER_INPUT, checked before any subgraph is
 *   called.
 * - In production, "Did you mean ...?" suggestions are cut from every
 *   message, so a misspelt name does not reveal the schema.
 * - Automatic persisted queries with a bad version or hash are refused with
 *   their own codes (persisted-query.ts); @skip and @include on a
 *   subscription's root selection set too (subscription-root.ts).
 *
 * The limits on one operation are in operation.ts, the cost model in cost.ts.
 */
export { createOperationLimits, withClientValidationCodes, type OperationLimits, type QueryLimits } from './operation';
export { persistedQueryGuard } from './persisted-query';
export { conditionalRootErrors, subscriptionRootGuard } from './subscription-root';
