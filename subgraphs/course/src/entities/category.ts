import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A catalog category; the slug's format CHECK and uniqueness are created by the migration. */
@Entity({ name: 'category' })
@Index('category_name_order', ['name', 'id'])
export class Category {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  /** Lower-case a-z, 0-9 and single inner hyphens, 2 to 60 characters; unique. */
  @Column({ type: 'varchar', length: 60, unique: true })
  slug: string;

  @Column({ type: 'varchar', length: 80 })
  name: string;

  @Column({ type: 'varchar', length: 500 })
  description: string;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
