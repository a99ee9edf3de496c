import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type CourseStatus = 'DRAFT' | 'PUBLISHED' | 'ARCHIVED';

/** A course and its seat counters; the CHECK constraints are created by the migration. */
@Entity({ name: 'course' })
@Check('course_seats_add_up', 'seats_available + seats_held + seats_sold = capacity')
@Check('course_seats_not_negative', 'seats_available >= 0 AND seats_held >= 0 AND seats_sold >= 0')
@Index('course_catalog_order', ['status', 'createdAt', 'id'])
export class Course {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'text' })
  description: string;

  @Column({ name: 'price_amount', type: 'integer' })
  priceAmount: number;

  @Column({ name: 'price_currency', type: 'char', length: 3 })
  priceCurrency: string;

  @Column({ name: 'instructor_id', type: 'uuid' })
  instructorId: string;

  @Column({ type: 'varchar', length: 16 })
  status: CourseStatus;

  @Column({ type: 'integer' })
  capacity: number;

  @Column({ name: 'seats_available', type: 'integer' })
  seatsAvailable: number;

  @Column({ name: 'seats_held', type: 'integer' })
  seatsHeld: number;

  @Column({ name: 'seats_sold', type: 'integer' })
  seatsSold: number;

  /** Bumped on every change of the seat counters. */
  @Column({ name: 'seats_version', type: 'integer' })
  seatsVersion: number;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
