import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Full-text search over the catalog (search.ts): a generated tsvector of the
 * title (weight A) and description (weight B) with the English configuration
 * (word forms: "running" finds "run"), kept up to date by PostgreSQL on every
 * write, and a GIN index on it; and an index for price filters and sorts of
 * the published catalog (course_catalog_order serves the sorts by time).
 */
export class AddCourseSearch1764600000000 implements MigrationInterface {
  name = 'AddCourseSearch1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE course ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, title), 'A') || setweight(to_tsvector('english'::regconfig, description), 'B')
      ) STORED`);
    await queryRunner.query(`CREATE INDEX course_search_vector ON course USING GIN (search_vector)`);
    await queryRunner.query(`CREATE INDEX course_published_price ON course (price_currency, price_amount, id) WHERE status = 'PUBLISHED'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX course_published_price`);
    await queryRunner.query(`DROP INDEX course_search_vector`);
    await queryRunner.query(`ALTER TABLE course DROP COLUMN search_vector`);
  }
}
