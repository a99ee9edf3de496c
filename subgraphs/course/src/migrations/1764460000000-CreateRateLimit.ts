import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Fixed-window counters for createCourse (runtime's countAttempt), one row per key, reused window after window. */
export class CreateRateLimit1764460000000 implements MigrationInterface {
  name = 'CreateRateLimit1764460000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE rate_limit (
        key varchar(200) PRIMARY KEY,
        window_start timestamptz(3) NOT NULL,
        attempts integer NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE rate_limit`);
  }
}
