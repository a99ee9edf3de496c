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
 *
 * The cost model (`pageCost`): every field costs 1 plus its children's cost,
 * and a field with a `first` argument (a connection page) multiplies its
 * children's cost by `first` as coerced: a literal, a variable, or the
 * argument's default when it is left out or null. Lists inside a page
 * (`edges`) are already counted by the page. Lists of introspection
 * (`types`, `fields`, ...) have no page size; they multiply by
 * INTROSPECTION_LIST_FACTOR, so nesting them costs as paging does.
 */
import { createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import {
  GraphQLError,
  getVariableValues,
  isListType,
  isNonNullType,
  Kind,
  OperationTypeNode,
  parse,
  separateOperations,
  specifiedRules,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ParseOptions,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import type { ApolloServerPlugin } from '@apollo/server';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { MAX_PAGE_SIZE } from '@coursegraph/runtime';

export interface QueryLimits {
  /** Deepest selection nesting, fragments flattened; introspection's nesting is bounded by graphql-js's own MaxIntrospectionDepthRule and by cost. */
  maxDepth: number;
  /** Highest cost of the `pageCost` model, on coerced arguments. */
  maxCost: number;
  /** Most aliases in one operation (fragments counted where spread). */
  maxAliases: number;
  /** Most directives in one operation. */
  maxDirectives: number;
  /** Most lexical tokens in one document. */
  maxTokens: number;
  /** Cut "Did you mean ...?" from messages (production). */
  hideSuggestions: boolean;
}

/** Assumed length of an introspection list (`__Schema.types`, `__Type.fields`, ...), which has no page size. */
const INTROSPECTION_LIST_FACTOR = 2;
/** Cost evaluation stops after this many selections (graphql-query-complexity's own bound on work). */
const MAX_COST_NODES = 10_000;

/** The message without a trailing "Did you mean ...?" (the same cut as Apollo Server's hideSchemaDetailsFromClientErrors). */
const withoutSuggestions = (message: string): string => message.replace(/ ?Did you mean(.+?)\?$/, '');

const validationFailed = (message: string) =>
  new GraphQLError(message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } } });

/** No operation in the document matches `operationName` (or none was named and there are several). */
const unresolved = (operationName: string | null | undefined) =>
  new GraphQLError(operationName ? `Unknown operation named "${operationName}".` : 'Name the operation to run: the document has several.', {
    extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } },
  });

const badUserInput = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });

/** Report through validation, as every other validation error is, rather than throwing (the library's default). */
const report = {
  exposeLimits: true,
  propagateOnRejection: false,
  onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(error)],
};

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

/** The operation `operationName` picks, as graphql-js does: the only one when no name is given. */
function pickOperation(document: DocumentNode, operationName: string | null | undefined): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === 'OperationDefinition');
  if (operationName) return operations.find((operation) => operation.name?.value === operationName);
  return operations.length === 1 ? operations[0] : undefined;
}

export interface OperationLimits {
  /** For Apollo Server's `parseOptions` and any other parse of a client document: the token limit. */
  parseOptions: ParseOptions;
  /** Document-only limits (depth, aliases, directives), for Apollo Server's `validationRules`. */
  validationRules: ValidationRule[];
  /**
   * Apollo Server plugin, once the operation is resolved: an unknown or
   * ambiguous operation name (OPERATION_RESOLUTION_FAILURE), a subscription
   * over HTTP (BAD_REQUEST), variables, cost. Suggestions in validation
   * errors are Apollo Server's own `hideSchemaDetailsFromClientErrors`.
   */
  plugin: ApolloServerPlugin;
  /**
   * Everything HTTP checks, for the websocket path: `document` (a string is
   * parsed with the token limit), validation with the specified rules and
   * the limits, variables, cost. Returns the errors a client gets, each with
   * its `extensions.code` (GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED,
   * BAD_USER_INPUT); an empty array when the operation may run.
   */
  checkOperation(
    schema: GraphQLSchema,
    document: DocumentNode | string,
    variables: Record<string, unknown> | null | undefined,
    operationName: string | null | undefined,
  ): GraphQLError[];
}

/** The limits as configured; see the module comment. */
export function createOperationLimits(limits: QueryLimits): OperationLimits {
  const clean = (message: string) => (limits.hideSuggestions ? withoutSuggestions(message) : message);
  const parseOptions: ParseOptions = { maxTokens: limits.maxTokens };
  const validationRules = [
    // The standard introspection query's `ofType` chain is 15 deep; introspection nesting is bounded by its cost instead.
    maxDepthRule({ n: limits.maxDepth, flattenFragments: true, ignoreIntrospection: true, ...report }),
    maxAliasesRule({ n: limits.maxAliases, ...report }),
    maxDirectivesRule({ n: limits.maxDirectives, ...report }),
  ] as unknown as ValidationRule[];

  /** Variables and cost of a valid document; throws the client's error. */
  function checkResolved(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown> | null | undefined): void {
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {}, { maxErrors: 5 });
    if (coerced.errors) throw badUserInput(coerced.errors.map((error) => clean(error.message)).join(' '));
    let cost: number;
    try {
      cost = getComplexity({
        schema,
        // Only the chosen operation: the others in the document never run.
        query: separateOperations(document)[operation.name?.value ?? ''] ?? document,
        variables: variables ?? {},
        estimators: [pageCost],
        maxQueryNodes: MAX_COST_NODES,
      });
    } catch (error) {
      throw validationFailed(`Query is too large to estimate: ${clean((error as Error).message)}`);
    }
    if (cost > limits.maxCost) throw validationFailed(`Query cost limit of ${limits.maxCost} exceeded, found ${cost}.`);
  }

  const plugin: ApolloServerPlugin = {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, request, operation }) {
          // @apollo/gateway would fail these with an uncoded error, which reads as INTERNAL_SERVER_ERROR.
          if (!operation) throw unresolved(request.operationName);
          if (operation.operation === 'subscription') {
            throw new GraphQLError('Subscriptions are served over websockets (graphql-ws) on this same URL, not over HTTP.', {
              extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
            });
          }
          checkResolved(schema, document, operation, request.variables);
        },
      };
    },
  };

  function checkOperation(
    schema: GraphQLSchema,
    source: DocumentNode | string,
    variables: Record<string, unknown> | null | undefined,
    operationName: string | null | undefined,
  ): GraphQLError[] {
    let document: DocumentNode;
    try {
      document = typeof source === 'string' ? parse(source, parseOptions) : source;
    } catch (error) {
      return [new GraphQLError((error as Error).message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
    }
    const conditional = conditionalRootErrors(document);
    if (conditional.length > 0) return conditional;
    const errors = validate(schema, document, [...specifiedRules, ...validationRules]);
    if (errors.length > 0) {
      return errors.map((error) => new GraphQLError(clean(error.message), { nodes: error.nodes, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }));
    }
    const operation = pickOperation(document, operationName);
    if (!operation) return [unresolved(operationName)];
    try {
      checkResolved(schema, document, operation, variables);
      return [];
    } catch (error) {
      return [error as GraphQLError];
    }
  }

  return { parseOptions, validationRules, plugin, checkOperation };
}

interface PersistedQueryExtension {
  version?: unknown;
  sha256Hash?: unknown;
}

/** A GraphQL request parameter (`query`, `extensions`, ...) as sent: in the URL of a GET, in the JSON body otherwise. */
function requestParameter(req: Request, name: string): unknown {
  return req.method === 'GET' ? req.query[name] : (req.body as Record<string, unknown> | undefined)?.[name];
}

/** The `extensions.persistedQuery` of a POST body or of a GET's `extensions` parameter, if any (malformed JSON is Apollo Server's to refuse). */
function persistedQueryOf(req: Request): { query: unknown; persisted: PersistedQueryExtension } | null {
  let extensions = requestParameter(req, 'extensions');
  if (typeof extensions === 'string') {
    try {
      extensions = JSON.parse(extensions);
    } catch {
      return null;
    }
  }
  const persisted = (extensions as { persistedQuery?: unknown } | null | undefined)?.persistedQuery;
  if (!persisted || typeof persisted !== 'object') return null;
  const query = requestParameter(req, 'query');
  return { query, persisted: persisted as PersistedQueryExtension };
}

const refuse = (res: Response, message: string, code: string) => res.status(400).json({ errors: [{ message, extensions: { code } }] });

/**
 * Express middleware in front of Apollo Server for automatic persisted
 * queries (https://www.apollographql.com/docs/apollo-server/performance/apq):
 * a version other than 1 or a hash that is not 64 hex digits is
 * PERSISTED_QUERY_NOT_SUPPORTED, and a hash that is not the SHA-256 of the
 * query sent with it is PERSISTED_QUERY_HASH_MISMATCH, both 400. Apollo
 * Server refuses these too, but with errors that carry no code, which read
 * as INTERNAL_SERVER_ERROR.
 */
export function persistedQueryGuard(req: Request, res: Response, next: NextFunction): void {
  const apq = persistedQueryOf(req);
  if (!apq) return next();
  const { version, sha256Hash } = apq.persisted;
  if (version !== 1 || typeof sha256Hash !== 'string' || !/^[0-9a-f]{64}$/i.test(sha256Hash)) {
    refuse(res, 'Only persisted queries of version 1 with a SHA-256 hash (64 hex digits) are supported.', 'PERSISTED_QUERY_NOT_SUPPORTED');
    return;
  }
  if (typeof apq.query === 'string' && createHash('sha256').update(apq.query).digest('hex') !== sha256Hash.toLowerCase()) {
    refuse(res, 'The persisted query hash is not the SHA-256 of the query sent with it.', 'PERSISTED_QUERY_HASH_MISMATCH');
    return;
  }
  next();
}

/**
 * @skip and @include on the root selection set of any subscription in the
 * document, through inline fragments and fragment spreads: the GraphQL spec's
 * "Single root field" rule forbids them (graphql-spec #860), so a
 * subscription's one root field never depends on its variables. Checked
 * before validation, over HTTP (subscriptionRootGuard) and websockets
 * (checkOperation) alike: graphql-js 16's SingleFieldSubscriptionsRule throws
 * on `@include(if: $v)` there instead of reporting it.
 */
export function conditionalRootErrors(document: DocumentNode): GraphQLError[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const node of document.definitions) if (node.kind === Kind.FRAGMENT_DEFINITION) fragments.set(node.name.value, node);
  const errors: GraphQLError[] = [];
  // Each fragment is looked into once, however often it is spread: the work stays linear in the document.
  const visited = new Set<string>();
  const check = (selectionSet: SelectionSetNode, operation: string) => {
    for (const selection of selectionSet.selections) {
      const conditions = selection.directives?.filter((directive) => directive.name.value === 'skip' || directive.name.value === 'include') ?? [];
      if (conditions.length > 0) {
        errors.push(
          new GraphQLError(`Subscription ${operation} must not use @skip or @include on its root selection set.`, {
            nodes: conditions,
            extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
          }),
        );
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) check(selection.selectionSet, operation);
      if (selection.kind === Kind.FRAGMENT_SPREAD && !visited.has(selection.name.value)) {
        visited.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) check(fragment.selectionSet, operation);
      }
    }
  };
  for (const node of document.definitions) {
    if (node.kind === Kind.OPERATION_DEFINITION && node.operation === OperationTypeNode.SUBSCRIPTION) {
      check(node.selectionSet, node.name ? `"${node.name.value}"` : '(anonymous)');
    }
  }
  return errors;
}

/**
 * Express middleware in front of Apollo Server: a document whose subscription
 * uses @skip or @include on its root selection set gets 400
 * GRAPHQL_VALIDATION_FAILED (conditionalRootErrors), since Apollo Server's
 * validation would meet graphql-js's throw and answer 500. Only a document
 * that mentions both `subscription` and `skip` or `include` is parsed.
 */
export function subscriptionRootGuard(parseOptions: ParseOptions) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const query = requestParameter(req, 'query');
    // GraphQL allows spaces, commas and comments between `@` and a directive's name: look for the names alone.
    if (typeof query !== 'string' || !/\bsubscription\b/.test(query) || !/\b(skip|include)\b/.test(query)) return next();
    let errors: GraphQLError[];
    try {
      errors = conditionalRootErrors(parse(query, parseOptions));
    } catch {
      return next(); // Apollo Server reports the syntax error as usual.
    }
    if (errors.length === 0) return next();
    res.status(400).json({ errors: errors.map((error) => ({ message: error.message, locations: error.locations, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })) });
  };
}

/**
 * Wraps the runtime's `formatError` for the gateway: federation's
 * INVALID_GRAPHQL is raised when @apollo/gateway cannot build the client's
 * operation against its own copy of the schema although graphql-js validated
 * it (for example `__Type.isOneOf` of graphql 16.9's introspection query).
 * That is about the client's document, so it is GRAPHQL_VALIDATION_FAILED,
 * not an internal error.
 */
export function withClientValidationCodes<T extends { extensions?: Record<string, unknown> }>(
  format: (formatted: T, error: unknown) => T,
): (formatted: T, error: unknown) => T {
  return (formatted, error) =>
    format(
      formatted.extensions?.code === 'INVALID_GRAPHQL' ? { ...formatted, extensions: { ...formatted.extensions, code: 'GRAPHQL_VALIDATION_FAILED' } } : formatted,
      error,
    );
}
