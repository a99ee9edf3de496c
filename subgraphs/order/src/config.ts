import { readCommonConfig, readDatabasePoolSize, readInt, readString, type CommonConfig } from '@coursegraph/runtime';

/**
 * The order subgraph's settings. Time limits nest (README, "Time budgets"):
 * one course call attempt (COURSE_CALL_TIMEOUT_MS) < the saga's forward steps
 * (COURSE_CALL_DEADLINE_MS) + its compensation (COMPENSATION_DEADLINE_MS) <
 * the gateway's client-facing limit (SUBGRAPH_TIMEOUT_MS) < the age at which
 * the reconciler takes an unfinished order over (RECONCILE_AFTER_SECONDS).
 * Whatever the settings, a request never works past the time budget its
 * caller sent (x-coursegraph-budget-ms).
 */
export interface OrderConfig extends CommonConfig {
  port: number;
  databaseUrl: string;
  /** Connections its database pool opens at most (DATABASE_POOL_SIZE). */
  databasePoolSize: number;
  /** The course subgraph's GraphQL endpoint, called directly (not through the gateway). */
  courseUrl: string;
  /** Time limit of one attempt of a call to the course subgraph, ms. */
  courseCallTimeoutMs: number;
  /** Time limit of the saga's purchase call, retries included; also of each call the reconciler and audit make, ms. */
  courseCallDeadlineMs: number;
  /** Time the saga keeps for giving a seat back (compensation) after the forward steps, ms. */
  compensationDeadlineMs: number;
  /** A PENDING or CANCELLING order untouched this long is finished by the reconciler; must exceed the saga's whole time. */
  reconcileAfterSeconds: number;
  /** How often the reconciler looks; 0 disables it. */
  reconcileIntervalSeconds: number;
  /** How often the reconciliation audit compares orders with seats; 0 disables it. */
  auditIntervalSeconds: number;
}

export function readOrderConfig(): OrderConfig {
  const courseCallTimeoutMs = readInt('COURSE_CALL_TIMEOUT_MS', 3_000, 1);
  return {
    ...readCommonConfig(),
    port: readInt('ORDER_PORT', 4002, 0, 65535),
    databaseUrl: readString('ORDER_DATABASE_URL'),
    databasePoolSize: readDatabasePoolSize(),
    courseUrl: readString('COURSE_SUBGRAPH_URL', 'http://127.0.0.1:4001/graphql'),
    courseCallTimeoutMs,
    courseCallDeadlineMs: readInt('COURSE_CALL_DEADLINE_MS', 10_000, courseCallTimeoutMs),
    compensationDeadlineMs: readInt('COMPENSATION_DEADLINE_MS', 4_000, 1),
    reconcileAfterSeconds: readInt('RECONCILE_AFTER_SECONDS', 60, 1),
    reconcileIntervalSeconds: readInt('RECONCILE_INTERVAL_SECONDS', 30, 0),
    auditIntervalSeconds: readInt('AUDIT_INTERVAL_SECONDS', 600, 0),
  };
}
