/**
 * The catalog's data, inserted with SQL matching the migrations: `count`
 * published courses (capacity 100, one second apart in created_at) in the
 * course database, and per course 1 to 9 CONFIRMED orders (seats_sold
 * agrees) plus a FAILED one for every third, in the order database.
 */
import { randomUUID } from 'node:crypto';
import { connect } from '../runner/postgres';

/** Seeds the course and order databases; the course ids in catalog order. */
export async function seed(courseDbUrl: string, orderDbUrl: string, count: number, log: (line: string) => void): Promise<string[]> {
  const courses = Array.from({ length: count }, (_, index) => ({ id: randomUUID(), sold: 1 + (index % 9) }));
  const instructor = randomUUID();
  const base = Date.now() - count * 1000;
  const course = await connect(courseDbUrl);
  const order = await connect(orderDbUrl);
  try {
    await course.query(
      `INSERT INTO course (id, title, description, price_amount, price_currency, instructor_id, status, capacity, seats_available, seats_held, seats_sold, seats_version, created_at, updated_at)
       SELECT id, 'Benchmark course ' || n, 'Seeded by bench/catalog.ts.', 1000 + n, 'USD', $2, 'PUBLISHED', 100, 100 - sold, 0, sold, sold, to_timestamp(($3::bigint + n * 1000) / 1000.0), now()
       FROM unnest($1::uuid[], $4::int[]) WITH ORDINALITY AS t(id, sold, n)`,
      [courses.map((c) => c.id), instructor, base, courses.map((c) => c.sold)],
    );
    const rows: { course: string; status: string }[] = [];
    for (const c of courses) {
      for (let k = 0; k < c.sold; k++) rows.push({ course: c.id, status: 'CONFIRMED' });
      if (c.sold % 3 === 0) rows.push({ course: c.id, status: 'FAILED' });
    }
    await order.query(
      `INSERT INTO orders (id, course_id, student_id, idempotency_key, status, price_amount, price_currency, failure_reason)
       SELECT gen_random_uuid(), course_id, gen_random_uuid(), 'bench-' || n, status, 1000, 'USD', CASE WHEN status = 'FAILED' THEN 'UNAVAILABLE' END
       FROM unnest($1::uuid[], $2::text[]) WITH ORDINALITY AS t(course_id, status, n)`,
      [rows.map((r) => r.course), rows.map((r) => r.status)],
    );
    await course.query('ANALYZE course');
    await order.query('ANALYZE orders');
    log(`seeded ${count} published courses and ${rows.length} orders (${rows.filter((r) => r.status === 'CONFIRMED').length} confirmed)`);
  } finally {
    await course.end();
    await order.end();
  }
  return courses.map((c) => c.id);
}
