import { readCommonConfig, readInt, readString, type CommonConfig } from '@coursegraph/runtime';

export interface OrderConfig extends CommonConfig {
  port: number;
  databaseUrl: string;
  /** The course subgraph's GraphQL endpoint, called directly (not through the gateway). */
  courseUrl: string;
  /** Time limit of one call to the course subgraph. */
  courseCallTimeoutMs: number;
  /** Time limit of a call including its retries. */
  courseCallDeadlineMs: number;
  /** A PENDING order untouched this long is finished by the reconciler. */
  reconcileAfterSeconds: number;
  /** How often the reconciler looks; 0 disables it. */
  reconcileIntervalSeconds: number;
}

export function readOrderConfig(): OrderConfig {
  return {
    ...readCommonConfig(),
    port: readInt('ORDER_PORT', 4002, 0, 65535),
    databaseUrl: readString('ORDER_DATABASE_URL'),
    courseUrl: readString('COURSE_SUBGRAPH_URL', 'http://127.0.0.1:4001/graphql'),
    courseCallTimeoutMs: readInt('COURSE_CALL_TIMEOUT_MS', 3_000, 1),
    courseCallDeadlineMs: readInt('COURSE_CALL_DEADLINE_MS', 10_000, 1),
    reconcileAfterSeconds: readInt('RECONCILE_AFTER_SECONDS', 60, 1),
    reconcileIntervalSeconds: readInt('RECONCILE_INTERVAL_SECONDS', 30, 0),
  };
}
