import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A course's membership of a category; the primary key makes a duplicate link impossible. */
@Entity({ name: 'course_category' })
export class CourseCategory {
  @PrimaryColumn({ name: 'course_id', type: 'uuid' })
  courseId: string;

  @PrimaryColumn({ name: 'category_id', type: 'uuid' })
  categoryId: string;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
