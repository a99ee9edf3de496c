/**
 * A client's subscribe message parsed, validated and its variables coerced,
 * within every operation limit HTTP applies (limits/), so each client
 * mistake gets the code HTTP would give.
 */
import {
  GraphQLError,
  getOperationAST,
  getVariableValues,
  parse,
  type DocumentNode,
  type ExecutionArgs,
  type GraphQLSchema,
  type ParseOptions,
} from 'graphql';
import type { SubscribePayload } from 'graphql-ws';
import { operationFromDocument, type Schema } from '@apollo/federation-internals';
import type { OperationLimits } from '../limits';
import type { GatewayContext } from '../auth';

export interface PrepareOptions {
  /** The client-facing schema, as @apollo/gateway and as graphql-js see it. */
  apiSchema: Schema;
  apiSchemaJs: GraphQLSchema;
  /** The token limit for parsing a client's document, as over HTTP. */
  parseOptions: ParseOptions;
  /** Validation, variables and every operation limit, as over HTTP. */
  checkOperation: OperationLimits['checkOperation'];
}

const withCode = (error: GraphQLError, code: string) =>
  new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, extensions: { code } });

export function createPrepare(options: PrepareOptions) {
  const { apiSchema, apiSchemaJs } = options;

  /** Parses, validates and coerces one subscribe message; errors carry the codes HTTP would give. */
  return function prepare(payload: SubscribePayload, contextValue: GatewayContext): ExecutionArgs | GraphQLError[] {
    let document: DocumentNode;
    try {
      document = parse(payload.query, options.parseOptions);
    } catch (error) {
      return [withCode(error as GraphQLError, 'GRAPHQL_PARSE_FAILED')];
    }
    const errors = options.checkOperation(apiSchemaJs, document, payload.variables, payload.operationName);
    if (errors.length > 0) return errors;
    const operation = getOperationAST(document, payload.operationName);
    if (!operation) {
      const message = payload.operationName ? `Unknown operation named "${payload.operationName}".` : 'Name the operation to run (operationName).';
      return [new GraphQLError(message, { extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } })];
    }
    if (operation.operation !== 'subscription') {
      return [
        new GraphQLError('Only subscriptions are served over websockets; send queries and mutations over HTTP.', {
          extensions: { code: 'BAD_REQUEST' },
        }),
      ];
    }
    const coerced = getVariableValues(apiSchemaJs, operation.variableDefinitions ?? [], payload.variables ?? {}, { maxErrors: 10 });
    if (coerced.errors) return coerced.errors.map((error) => withCode(error, 'BAD_USER_INPUT'));
    try {
      // @apollo/gateway builds the operation against its own copy of the schema, which can refuse what graphql-js
      // validated (INVALID_GRAPHQL): a client mistake, which the gateway's masking codes as over HTTP
      // (limits/operation.ts, withClientValidationCodes).
      operationFromDocument(apiSchema, document, { operationName: payload.operationName ?? undefined });
    } catch (error) {
      if (error instanceof GraphQLError && error.extensions.code === 'INVALID_GRAPHQL') return [error];
      throw error;
    }
    return { schema: apiSchemaJs, document, operationName: payload.operationName, variableValues: coerced.coerced, contextValue };
  };
}
