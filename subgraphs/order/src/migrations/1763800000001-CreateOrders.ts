import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateOrders1763800000001 implements MigrationInterface {
  name = 'CreateOrders1763800000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE orders (
        id uuid PRIMARY KEY,
        course_id uuid NOT NULL,
        student_id uuid NOT NULL,
        idempotency_key varchar(100) NOT NULL,
        status varchar(16) NOT NULL CONSTRAINT order_status_known CHECK (status IN ('PENDING', 'CONFIRMED', 'FAILED', 'CANCELLED')),
        price_amount integer NOT NULL CONSTRAINT order_price_not_negative CHECK (price_amount >= 0),
        price_currency char(3) NOT NULL,
        failure_reason varchar(40),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    // A retried placeOrder finds its order by key.
    await queryRunner.query(`CREATE UNIQUE INDEX order_idempotency ON orders (student_id, idempotency_key)`);
    // One student holds at most one active order per course.
    await queryRunner.query(
      `CREATE UNIQUE INDEX order_one_active_per_course ON orders (student_id, course_id) WHERE status IN ('PENDING', 'CONFIRMED')`,
    );
    // Enrollment counts.
    await queryRunner.query(`CREATE INDEX order_confirmed_by_course ON orders (course_id) WHERE status = 'CONFIRMED'`);
    // The reconciler's scan for sagas left unfinished.
    await queryRunner.query(`CREATE INDEX order_pending_since ON orders (updated_at) WHERE status = 'PENDING'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE orders`);
  }
}
