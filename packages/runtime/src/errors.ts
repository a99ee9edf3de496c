/**
 * Errors as clients see them. Expected failures of a mutation are `userErrors`
 * in its payload; everything else is a GraphQL error with `extensions.code`.
 * Anything without a known code is masked, so no internal message or stack
 * trace ever reaches a client; the original is logged.
 */
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import type { Logger } from './log';

export type UserErrorCode =
  | 'VALIDATION'
  | 'NOT_FOUND'
  | 'COURSE_NOT_PUBLISHED'
  | 'SOLD_OUT'
  | 'PRICE_CHANGED'
  | 'CAPACITY_BELOW_TAKEN'
  | 'ILLEGAL_TRANSITION'
  | 'RESERVATION_EXPIRED'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'ALREADY_ENROLLED'
  | 'UNAVAILABLE'
  | 'EMAIL_TAKEN'
  | 'INVALID_CREDENTIALS'
  | 'INVALID_REFRESH_TOKEN'
  | 'RATE_LIMITED';

export interface Money {
  amount: number;
  currency: string;
}

export interface UserError {
  code: UserErrorCode;
  field: string | null;
  message: string;
  currentPrice?: Money | null;
  retryAfterSeconds?: number | null;
}

export const userError = (code: UserErrorCode, message: string, field: string | null = null): UserError => ({
  code,
  field,
  message,
});

export const unauthenticated = (message = 'Sign in to do this.'): GraphQLError =>
  new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 200 } } });

export const forbidden = (message = 'You are not allowed to do this.'): GraphQLError =>
  new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });

export const badInput = (message: string): GraphQLError =>
  new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

/** Codes whose messages were written for clients and pass through unchanged. */
const CLIENT_CODES = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'PERSISTED_QUERY_HASH_MISMATCH',
  'RESPONSE_TOO_LARGE',
  'OPERATION_RESOLUTION_FAILURE',
  'UNAVAILABLE',
]);

/** Apollo Server `formatError`: keeps client-facing errors, masks the rest. */
export function formatError(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && CLIENT_CODES.has(code)) {
      return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code } };
    }
    log.error('internal error', { error: unwrapResolverError(error), path: formatted.path });
    return {
      message: 'Internal server error',
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}
