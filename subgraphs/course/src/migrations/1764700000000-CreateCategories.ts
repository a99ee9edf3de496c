import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Categories and the links of courses to them. A link's primary key is
 * (course_id, category_id), so a course cannot be in a category twice; the
 * link goes with its course (ON DELETE CASCADE) but holds its category
 * (no cascade: a used category is deleted only after its links, categories.ts).
 */
export class CreateCategories1764700000000 implements MigrationInterface {
  name = 'CreateCategories1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE category (
        id uuid PRIMARY KEY,
        slug varchar(60) NOT NULL CONSTRAINT category_slug_format CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) >= 2),
        name varchar(80) NOT NULL,
        description varchar(500) NOT NULL DEFAULT '',
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT category_slug_unique UNIQUE (slug)
      )`);
    await queryRunner.query(`CREATE INDEX category_name_order ON category (name, id)`);
    await queryRunner.query(`
      CREATE TABLE course_category (
        course_id uuid NOT NULL REFERENCES course (id) ON DELETE CASCADE,
        category_id uuid NOT NULL REFERENCES category (id),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT course_category_pkey PRIMARY KEY (course_id, category_id)
      )`);
    // Category.courses and courseCount, and the in-use check of deleteCategory.
    await queryRunner.query(`CREATE INDEX course_category_category ON course_category (category_id, course_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE course_category`);
    await queryRunner.query(`DROP TABLE category`);
  }
}
