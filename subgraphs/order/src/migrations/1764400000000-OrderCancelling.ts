import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * CANCELLING: the durable intent to give an order's seat back, written
 * before the course subgraph is asked to (issue 9). The reconciler's scan
 * covers every non-final status.
 */
export class OrderCancelling1764400000000 implements MigrationInterface {
  name = 'OrderCancelling1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE orders DROP CONSTRAINT order_status_known`);
    await queryRunner.query(
      `ALTER TABLE orders ADD CONSTRAINT order_status_known CHECK (status IN ('PENDING', 'CANCELLING', 'CONFIRMED', 'FAILED', 'CANCELLED'))`,
    );
    await queryRunner.query(`DROP INDEX order_pending_since`);
    await queryRunner.query(`CREATE INDEX order_unfinished_since ON orders (updated_at) WHERE status IN ('PENDING', 'CANCELLING')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX order_unfinished_since`);
    await queryRunner.query(`CREATE INDEX order_pending_since ON orders (updated_at) WHERE status = 'PENDING'`);
    await queryRunner.query(`ALTER TABLE orders DROP CONSTRAINT order_status_known`);
    await queryRunner.query(`ALTER TABLE orders ADD CONSTRAINT order_status_known CHECK (status IN ('PENDING', 'CONFIRMED', 'FAILED', 'CANCELLED'))`);
  }
}
