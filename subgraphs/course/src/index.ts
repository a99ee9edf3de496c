/**
 * The course subgraph's public entry point: what other workspaces (tests, benchmarks,
 * scripts) may use; the process entry is main.ts. Anything not exported here
 * is internal to this subgraph.
 *
 * Beside the service itself: its data source (migrations, operations), the
 * seat event contract (channel, payload, parse; seat-event.ts), and
 * `moveSeats`, the one way to change a course's seat counters together with
 * its event; and `purchaseSeatStatement`, the order saga's seat statement,
 * for the benchmarks' SQL baselines.
 */
export { startCourseSubgraph } from './server';
export { readCourseConfig, type CourseConfig } from './config';
export { createCourseDataSource } from './data-source';
export { SEAT_EVENTS_CHANNEL, notifySeatEventSql, parseSeatEvent, type SeatEvent, type SeatMoveReason } from './seat-event';
export { moveSeats, type SeatMove, type Statement } from './counters';
export { purchaseSeatStatement } from './seats';
