/**
 * The order subgraph's public entry point: what other workspaces (tests, benchmarks,
 * scripts) may use; the process entry is main.ts. Anything not exported here
 * is internal to this subgraph.
 *
 * Beside the service itself: its data source, the typed client of the
 * course subgraph's internal operations, and the seat audit (audit.ts).
 */
export { startOrderSubgraph } from './server';
export { readOrderConfig, type OrderConfig } from './config';
export { createOrderDataSource } from './data-source';
export { createCourseClient, CourseUnavailableError, type CourseClient, type CourseClientOptions } from './course-client';
export { auditOnce, type AuditReport } from './audit';
export { runAuditCommand } from './audit-command';
