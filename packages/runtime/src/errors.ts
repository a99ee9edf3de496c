/**
 * Errors as clients see them. Expected failures of a mutation are `userErrors`
 * in its payload; everything else is a GraphQL error with `extensions.code`.
 * Anything without a known code is masked, so no internal message or stack
 * trace ever reaches a client; the original is logged.
 */
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import type { Logger } from './log';
import { requestIdExtension } from './request-id';

/**
 * An expected failure of a mutation, as every subgraph's schema declares
 * `UserError`: a machine-readable code, the input field it is about (a path
 * such as `input.price.amount`, or null) and a human-readable message.
 * `Code` is the subgraph's own generated `UserErrorCode` (each subgraph's
 * schema lists the codes it returns; composition unites them), so a code a
 * subgraph does not declare fails its type check. Fields only some codes
 * carry (`currentPrice`, `retryAfterSeconds`) are added by the subgraph.
 */
export interface UserError<Code extends string = string> {
  code: Code;
  field: string | null;
  message: string;
}

export const userError = <Code extends string>(code: Code, message: string, field: string | null = null): UserError<Code> => ({
  code,
  field,
  message,
});

export const unauthenticated = (message = 'Sign in to do this.'): GraphQLError =>
  new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 200 } } });

export const forbidden = (message = 'You are not allowed to do this.'): GraphQLError =>
  new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });

export const badInput = (message: string): GraphQLError => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

/**
 * A dependency (another service, a database) did not answer, or not in time:
 * an outage, not a bug. Thrown (or set as `cause`) by infrastructure code so
 * that `formatError` reports it as SERVICE_UNAVAILABLE.
 */
export class DependencyUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DependencyUnavailableError';
  }
}

/** The GraphQL error code of a dependency outage; always sent with `retryable: true`. */
export const SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE';

/** A dependency outage as a GraphQL error with a client-facing message. */
export const serviceUnavailable = (message = 'A service this request needs is unavailable right now; please retry.'): GraphQLError =>
  new GraphQLError(message, { extensions: { code: SERVICE_UNAVAILABLE } });

/**
 * PostgreSQL SQLSTATEs that mean the database is down, overloaded or too slow,
 * not that the statement is wrong (https://www.postgresql.org/docs/current/errcodes-appendix.html):
 * class 08 connection exceptions, class 53 insufficient resources, 57014
 * query_canceled (statement_timeout), 55P03 lock_not_available (lock_timeout),
 * 57P01-57P05 shutdowns, pg_terminate_backend and idle-session timeouts; and
 * class 40 transaction rollbacks 40001 serialization_failure and 40P01
 * deadlock_detected: the transaction was rolled back whole, and PostgreSQL's
 * advice is to retry it.
 */
const PG_OUTAGE = /^(08...|53...|57014|55P03|57P0[1-5]|40001|40P01)$/;
/** Node socket errors of a peer that is down or unreachable. */
const NODE_OUTAGE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND']);
/** node-postgres reports a lost or never-made connection with these messages and no code. */
const PG_CONNECTION_MESSAGE = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;

/**
 * Whether `error` (or anything in its `cause` / `originalError` / TypeORM
 * `driverError` chain) is a dependency outage rather than a bug.
 */
export function isDependencyOutage(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Object && depth < 10; depth++) {
    if (current instanceof DependencyUnavailableError) return true;
    const { code, severity, message, cause, originalError, driverError, extensions } = current as {
      code?: unknown;
      severity?: unknown;
      message?: unknown;
      cause?: unknown;
      originalError?: unknown;
      driverError?: unknown;
      extensions?: { code?: unknown };
    };
    if (extensions?.code === SERVICE_UNAVAILABLE) return true;
    if (typeof code === 'string' && (PG_OUTAGE.test(code) || NODE_OUTAGE.has(code))) return true;
    // FATAL ends the session whatever the SQLSTATE: the database refused or dropped the connection
    // (e.g. 55000 "not currently accepting connections" while a database is closed for maintenance).
    if (severity === 'FATAL' || severity === 'PANIC') return true;
    if (typeof message === 'string' && PG_CONNECTION_MESSAGE.test(message)) return true;
    current = driverError ?? originalError ?? cause;
  }
  return false;
}

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

/** `error` (formatted already) with the current request id in its `extensions`, for errors made outside `formatError`. */
export const withRequestId = (error: GraphQLFormattedError): GraphQLFormattedError => ({
  ...error,
  extensions: { ...error.extensions, ...requestIdExtension() },
});

/**
 * Apollo Server `formatError`: keeps client-facing errors, reports
 * dependency outages as SERVICE_UNAVAILABLE with `retryable: true` (a warning
 * in the log, not an error), and masks the rest as INTERNAL_SERVER_ERROR.
 * Every error it returns carries the request id (`extensions.requestId`,
 * request-id.ts) when there is one, so a user's report can be found in the logs.
 */
export function formatError(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    if (code === SERVICE_UNAVAILABLE || isDependencyOutage(unwrapResolverError(error))) {
      const own = code === SERVICE_UNAVAILABLE;
      if (!own) log.warn('dependency unavailable', { error: unwrapResolverError(error), path: formatted.path });
      return {
        message: own ? formatted.message : serviceUnavailable().message,
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: SERVICE_UNAVAILABLE, retryable: true, ...requestIdExtension() },
      };
    }
    if (typeof code === 'string' && CLIENT_CODES.has(code)) {
      return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code, ...requestIdExtension() } };
    }
    log.error('internal error', { error: unwrapResolverError(error), path: formatted.path });
    return {
      message: 'Internal server error',
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR', ...requestIdExtension() },
    };
  };
}
