import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type ReservationStatus = 'PENDING' | 'CONFIRMED' | 'CANCELLED' | 'EXPIRED';

/** A hold on one seat, keyed by the caller's idempotency key (the order id). */
@Entity({ name: 'reservation' })
@Index('reservation_key', ['key'], { unique: true })
export class Reservation {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'varchar', length: 100 })
  key: string;

  @Column({ name: 'course_id', type: 'uuid' })
  courseId: string;

  @Column({ name: 'holder_id', type: 'uuid' })
  holderId: string;

  @Column({ type: 'varchar', length: 16 })
  status: ReservationStatus;

  @Column({ name: 'price_amount', type: 'integer' })
  priceAmount: number;

  @Column({ name: 'price_currency', type: 'char', length: 3 })
  priceCurrency: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
