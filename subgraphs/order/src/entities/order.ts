import { Column, Entity, PrimaryColumn } from 'typeorm';

/** PENDING and CANCELLING are not final: the request or the reconciler always finishes them. */
export type OrderStatus = 'PENDING' | 'CANCELLING' | 'CONFIRMED' | 'FAILED' | 'CANCELLED';

/**
 * Why an order is FAILED (a CHECK constraint holds the column to these):
 * UNAVAILABLE, the seat service could not complete it; RESERVATION_EXPIRED,
 * the hold ran out before the confirm; ABANDONED, the reconciler finished it
 * after its request stopped.
 */
export type FailureReason = 'UNAVAILABLE' | 'RESERVATION_EXPIRED' | 'ABANDONED';

/**
 * A student's purchase of one seat. The migration adds the unique indexes
 * that make "one active order per student and course" and "one order per
 * idempotency key" hold under any concurrency.
 */
@Entity({ name: 'orders' })
export class Order {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'course_id', type: 'uuid' })
  courseId: string;

  @Column({ name: 'student_id', type: 'uuid' })
  studentId: string;

  @Column({ name: 'idempotency_key', type: 'varchar', length: 100 })
  idempotencyKey: string;

  @Column({ type: 'varchar', length: 16 })
  status: OrderStatus;

  @Column({ name: 'price_amount', type: 'integer' })
  priceAmount: number;

  @Column({ name: 'price_currency', type: 'char', length: 3 })
  priceCurrency: string;

  @Column({ name: 'failure_reason', type: 'varchar', length: 40, nullable: true })
  failureReason: FailureReason | null;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
