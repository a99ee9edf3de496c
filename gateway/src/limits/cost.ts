/**
 * The cost model (`pageCost`): every field costs 1 plus its children's cost,
 * and a field with a `first` argument (a connection page) multiplies its
 * children's cost by `first` as coerced: a literal, a variable, or the
 * argument's default when it is left out or null. Lists inside a page
 * (`edges`) are already counted by the page. Lists of introspection
 * (`types`, `fields`, ...) have no page size; they multiply by
 * INTROSPECTION_LIST_FACTOR, so nesting them costs as paging does.
 */
import { isListType, isNonNullType, separateOperations, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { MAX_PAGE_SIZE } from '@coursegraph/runtime';

/** Assumed length of an introspection list (`__Schema.types`, `__Type.fields`, ...), which has no page size. */
const INTROSPECTION_LIST_FACTOR = 2;
/** Cost evaluation stops after this many selections (graphql-query-complexity's own bound on work). */
const MAX_COST_NODES = 10_000;

/** The page size a `first` argument coerced to: its value, else the argument's default, else the largest page. */
function pageSize(value: unknown, fallback: unknown): number {
  const size = typeof value === 'number' ? value : typeof fallback === 'number' ? fallback : MAX_PAGE_SIZE;
  return Math.max(1, size);
}

/** The cost model described at the top of this module. */
const pageCost: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  const first = field.args.find((arg) => arg.name === 'first');
  if (first) return 1 + pageSize(args.first, first.defaultValue) * childComplexity;
  const unwrapped = isNonNullType(field.type) ? field.type.ofType : field.type;
  if (type.name.startsWith('__') && isListType(unwrapped)) return 1 + INTROSPECTION_LIST_FACTOR * childComplexity;
  return 1 + childComplexity;
};

/**
 * The cost of `operation` in `document` with `variables`, each argument as
 * coerced. Throws when the operation has more than MAX_COST_NODES selections.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | null | undefined,
): number {
  return getComplexity({
    schema,
    // Only the chosen operation: the others in the document never run.
    query: separateOperations(document)[operation.name?.value ?? ''] ?? document,
    variables: variables ?? {},
    estimators: [pageCost],
    maxQueryNodes: MAX_COST_NODES,
  });
}
