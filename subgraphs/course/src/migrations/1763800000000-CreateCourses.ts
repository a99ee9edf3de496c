import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCourses1763800000000 implements MigrationInterface {
  name = 'CreateCourses1763800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE course (
        id uuid PRIMARY KEY,
        title varchar(200) NOT NULL,
        description text NOT NULL,
        price_amount integer NOT NULL CONSTRAINT course_price_not_negative CHECK (price_amount >= 0),
        price_currency char(3) NOT NULL,
        instructor_id uuid NOT NULL,
        status varchar(16) NOT NULL CONSTRAINT course_status_known CHECK (status IN ('DRAFT', 'PUBLISHED', 'ARCHIVED')),
        capacity integer NOT NULL,
        seats_available integer NOT NULL,
        seats_held integer NOT NULL,
        seats_sold integer NOT NULL,
        seats_version integer NOT NULL DEFAULT 0,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT course_seats_add_up CHECK (seats_available + seats_held + seats_sold = capacity),
        CONSTRAINT course_seats_not_negative CHECK (seats_available >= 0 AND seats_held >= 0 AND seats_sold >= 0)
      )`);
    await queryRunner.query(`CREATE INDEX course_catalog_order ON course (status, created_at, id)`);
    await queryRunner.query(`CREATE INDEX course_instructor ON course (instructor_id)`);
    await queryRunner.query(`
      CREATE TABLE reservation (
        id uuid PRIMARY KEY,
        key varchar(100) NOT NULL,
        course_id uuid NOT NULL REFERENCES course (id),
        holder_id uuid NOT NULL,
        status varchar(16) NOT NULL CONSTRAINT reservation_status_known CHECK (status IN ('PENDING', 'CONFIRMED', 'CANCELLED', 'EXPIRED')),
        price_amount integer NOT NULL,
        price_currency char(3) NOT NULL,
        expires_at timestamptz NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX reservation_key ON reservation (key)`);
    await queryRunner.query(`CREATE INDEX reservation_course ON reservation (course_id)`);
    // The sweeper's scan: only pending reservations, oldest expiry first.
    await queryRunner.query(`CREATE INDEX reservation_pending_expiry ON reservation (expires_at) WHERE status = 'PENDING'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE reservation`);
    await queryRunner.query(`DROP TABLE course`);
  }
}
