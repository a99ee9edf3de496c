import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `failure_reason` holds only placeOrder's own reasons (FailureReason in
 * entities/order.ts). Before this, a confirm the course subgraph refused for
 * another cause than an expired hold stored the course's internal code
 * (ILLEGAL_TRANSITION, NOT_FOUND) in the public Order.failureReason; such rows
 * become UNAVAILABLE, what their answer already said.
 */
export class OrderFailureReasons1764500000000 implements MigrationInterface {
  name = 'OrderFailureReasons1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE orders SET failure_reason = 'UNAVAILABLE' WHERE failure_reason NOT IN ('UNAVAILABLE', 'RESERVATION_EXPIRED', 'ABANDONED')`,
    );
    await queryRunner.query(
      `ALTER TABLE orders ADD CONSTRAINT order_failure_reason_known CHECK (failure_reason IN ('UNAVAILABLE', 'RESERVATION_EXPIRED', 'ABANDONED'))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE orders DROP CONSTRAINT order_failure_reason_known`);
  }
}
