/**
 * The limits on one operation, checked the same over HTTP and websockets
 * (see index.ts): the token limit for parsing, the validation rules on the
 * document alone, and, once the operation and its variables are known, the
 * variables and the cost (cost.ts). Also the gateway's error format for a
 * document @apollo/gateway cannot build (`withClientValidationCodes`).
 */
import {
  GraphQLError,
  getVariableValues,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ParseOptions,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { operationCost } from './cost';
import { conditionalRootErrors } from './subscription-root';

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

/** The message without a trailing "Did you mean ...?" (the same cut as Apollo Server's hideSchemaDetailsFromClientErrors). */
const withoutSuggestions = (message: string): string => message.replace(/ ?Did you mean(.+?)\?$/, '');

const validationFailed = (message: string) => new GraphQLError(message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } } });

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
  function checkResolved(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Record<string, unknown> | null | undefined,
  ): void {
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {}, { maxErrors: 5 });
    if (coerced.errors) throw badUserInput(coerced.errors.map((error) => clean(error.message)).join(' '));
    let cost: number;
    try {
      cost = operationCost(schema, document, operation, variables);
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
      formatted.extensions?.code === 'INVALID_GRAPHQL'
        ? { ...formatted, extensions: { ...formatted.extensions, code: 'GRAPHQL_VALIDATION_FAILED' } }
        : formatted,
      error,
    );
}
