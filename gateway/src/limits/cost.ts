/**
 * The cost model (`pageCost`): every field costs 1 plus its children's cost,
 * and a field with a `first` argument (a connection page) multiplies its
 * children's cost by `first` as coerced: a literal, a variable, or the
 * argument's default when it is left out or null. Lists inside a page
 * (`edges`) are already counted by the page. Lists of introspection
 * (`types`, `fields`, ...) have no page size; they multiply by
 * INTROSPECTION_LIST_FACTOR, so nesting them costs as paging does.
 */
import {
  isListType,
  isNonNullType,
  Kind,
  separateOperations,
  visit,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
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

/** Whether a variable can change the cost: one given as a `first` argument or as @include/@skip's `if`. */
function costDependsOnVariables(document: DocumentNode): boolean {
  let depends = false;
  visit(document, {
    Argument(node) {
      if (node.name.value === 'first' && node.value.kind === Kind.VARIABLE) depends = true;
    },
    Directive(node) {
      if ((node.name.value === 'include' || node.name.value === 'skip') && node.arguments?.some((arg) => arg.value.kind === Kind.VARIABLE)) {
        depends = true;
      }
    },
  });
  return depends;
}

/** Per schema and operation node: the operation alone and, when no variable can change it, its cost. */
const prepared = new WeakMap<GraphQLSchema, WeakMap<OperationDefinitionNode, { query: DocumentNode; fixed: boolean; cost: number | null }>>();

/**
 * The cost of `operation` in `document` with `variables`, each argument as
 * coerced. Throws when the operation has more than MAX_COST_NODES selections.
 * A document is parsed once per query text (Apollo Server's document cache),
 * so its operation node is the same object on every request: the operation
 * is separated once, and a cost no variable can change is computed once.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | null | undefined,
): number {
  let bySchema = prepared.get(schema);
  if (!bySchema) prepared.set(schema, (bySchema = new WeakMap()));
  let entry = bySchema.get(operation);
  if (!entry) {
    // Only the chosen operation: the others in the document never run.
    const query = separateOperations(document)[operation.name?.value ?? ''] ?? document;
    entry = { query, fixed: !costDependsOnVariables(query), cost: null };
    bySchema.set(operation, entry);
  }
  if (entry.cost !== null) return entry.cost;
  // graphql-query-complexity coerces the variables too, so even a cost no variable changes is first
  // computed with the request's (already valid) variables.
  const cost = complexity(schema, entry.query, variables ?? {});
  if (entry.fixed) entry.cost = cost;
  return cost;
}

const complexity = (schema: GraphQLSchema, query: DocumentNode, variables: Record<string, unknown>) =>
  getComplexity({ schema, query, variables, estimators: [pageCost], maxQueryNodes: MAX_COST_NODES });
