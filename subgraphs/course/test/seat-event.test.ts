/**
 * The seat event's contract (src/seat-event.ts): the payload the counters'
 * statement builds in SQL parses back into the event, anything else on the
 * channel is refused, and the listener (src/seat-listener.ts) skips what is
 * not a seat event instead of passing it to subscribers.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { openDatabase, type Logger } from '@coursegraph/runtime';
import { createTestDatabases, type TestDatabases } from '@coursegraph/devkit/databases';
import { createCourseDataSource } from '../src/data-source';
import { loadCourses } from '../src/catalog';
import { createCourse, publishCourse } from '../src/courses';
import { moveSeats } from '../src/counters';
import { parseSeatEvent, SEAT_EVENTS_CHANNEL, type SeatEvent } from '../src/seat-event';
import { SeatListener } from '../src/seat-listener';

let databases: TestDatabases;
let dataSource: DataSource;
let db: Client;
const instructor = { userId: randomUUID(), roles: ['INSTRUCTOR' as const] };

beforeAll(async () => {
  databases = await createTestDatabases('course');
  dataSource = await openDatabase(createCourseDataSource(databases.urls.course!, 2));
  db = new Client({ connectionString: databases.urls.course });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  await dataSource?.destroy();
  await databases?.drop();
});

async function newCourse(): Promise<string> {
  const created = await createCourse(dataSource, instructor, {
    title: 'Seat events under test',
    price: { amount: 1_000, currency: 'USD' },
    capacity: 5,
  });
  const id = created.course!.id;
  await publishCourse(dataSource, instructor, id);
  return id;
}

test('the payload the counters queue parses back into the event of the change', async () => {
  const courseId = await newCourse();
  const listener = new Client({ connectionString: databases.urls.course });
  await listener.connect();
  const payloads: string[] = [];
  listener.on('notification', (message) => payloads.push(message.payload!));
  await listener.query(`LISTEN ${SEAT_EVENTS_CHANNEL}`);
  try {
    const moved = await moveSeats(dataSource.manager, courseId, { available: -1, held: 1 }, 'RESERVED');
    const until = Date.now() + 5_000;
    while (payloads.length === 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(payloads).toHaveLength(1);
    expect(parseSeatEvent(payloads[0]!)).toEqual({
      courseId,
      seatsAvailable: 4,
      seatsHeld: 1,
      seatsSold: 0,
      capacity: 5,
      version: moved.seatsVersion,
      reason: 'RESERVED',
      changedAt: expect.any(String),
    });
    expect(Date.parse(parseSeatEvent(payloads[0]!)!.changedAt)).not.toBeNaN();
  } finally {
    await listener.end();
  }
});

describe('parseSeatEvent refuses what is not a seat event', () => {
  const good = {
    courseId: randomUUID(),
    seatsAvailable: 1,
    seatsHeld: 0,
    seatsSold: 0,
    capacity: 1,
    version: 3,
    reason: 'CONFIRMED',
    changedAt: '2030-01-01T00:00:00+00:00',
  };
  test('a well-formed payload is accepted', () => {
    expect(parseSeatEvent(JSON.stringify(good))).toEqual(good);
  });
  test.each<[string, string]>([
    ['not JSON', 'seats!'],
    ['JSON null', 'null'],
    ['a JSON number', '42'],
    ['no courseId', JSON.stringify({ ...good, courseId: undefined })],
    ['a numeric courseId', JSON.stringify({ ...good, courseId: 7 })],
    ['a version as text', JSON.stringify({ ...good, version: '3' })],
    ['a negative count', JSON.stringify({ ...good, seatsAvailable: -1 })],
    ['a fractional count', JSON.stringify({ ...good, seatsSold: 0.5 })],
    ['no capacity', JSON.stringify({ ...good, capacity: undefined })],
    ['a state, not a change (CURRENT)', JSON.stringify({ ...good, reason: 'CURRENT' })],
    ['an unknown reason', JSON.stringify({ ...good, reason: 'STOLEN' })],
    ['no timestamp', JSON.stringify({ ...good, changedAt: undefined })],
    ['a timestamp that is not one', JSON.stringify({ ...good, changedAt: 'yesterday' })],
  ])('%s', (_why, payload) => {
    expect(parseSeatEvent(payload)).toBeNull();
  });
});

test('the listener skips a foreign NOTIFY on the channel (logged) and delivers the next real change', async () => {
  const courseId = await newCourse();
  const warnings: string[] = [];
  const log: Logger = { debug: () => undefined, info: () => undefined, warn: (msg) => warnings.push(msg), error: () => undefined };
  const seatListener = new SeatListener(databases.urls.course!, (ids) => loadCourses(dataSource, ids), log);
  await seatListener.start();
  try {
    const events = await seatListener.subscribe([courseId], async () => (await loadCourses(dataSource, [courseId])) as never);
    const first = await events.next();
    expect((first.value as SeatEvent).reason).toBe('CURRENT');
    await db.query(`SELECT pg_notify($1, $2)`, [SEAT_EVENTS_CHANNEL, 'not a seat event']);
    await db.query(`SELECT pg_notify($1, $2)`, [SEAT_EVENTS_CHANNEL, JSON.stringify({ courseId, version: 99, reason: 'RESERVED' })]);
    await moveSeats(dataSource.manager, courseId, { available: -1, sold: 1 }, 'CONFIRMED');
    const next = (await events.next()).value as SeatEvent;
    expect(next).toMatchObject({ courseId, reason: 'CONFIRMED', seatsAvailable: 4, seatsSold: 1 });
    expect(warnings).toEqual(['not a seat event, ignored', 'not a seat event, ignored']);
    await events.return!();
  } finally {
    await seatListener.stop();
  }
});
