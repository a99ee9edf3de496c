/**
 * The course subgraph's public entry point: what other workspaces (the
 * process entry `main.ts`, `npm start`, tests, benchmarks) may use. Anything
 * not exported here is internal to this subgraph.
 *
 * Beside the service itself: its data source (migrations, operations), the
 * seat event contract (channel, payload, parse; seat-event.ts), and
 * `moveSeats`, the one way to change a course's seat counters together with
 * its event.
 */
export { startCourseSubgraph } from './server';
export { readCourseConfig, type CourseConfig } from './config';
export { createCourseDataSource } from './data-source';
export { SEAT_EVENTS_CHANNEL, notifySeatEventSql, parseSeatEvent, type SeatEvent, type SeatMoveReason } from './seat-event';
export { moveSeats, type SeatMove } from './counters';
