import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the catalog benchmark's search scenario found (bench/README.md,
 * "catalog", search; 10,000 courses):
 *
 * - The search's GIN index kept new entries in its pending list (GIN's
 *   fastupdate, up to gin_pending_list_limit, 4 MB) until a VACUUM. Every
 *   search reads the whole pending list, so the planner costed the index
 *   above a Seq Scan on course, which then evaluated the tsquery on every
 *   row. Entries now go straight into the index (the list left from before
 *   is merged now), so a search no longer depends on when VACUUM last ran.
 * - The POPULAR sort (seats_sold DESC, id DESC) of a filter without search had
 *   no index and read and sorted every published course: this one is walked
 *   backwards, the filter checked on the way.
 *
 * The price: a confirmed seat moves seats_sold, now indexed, so its row
 * update is no longer HOT and also writes the course's index entries, the
 * GIN ones included, at once instead of into the pending list.
 */
export class TuneCatalogSearch1764800000000 implements MigrationInterface {
  name = 'TuneCatalogSearch1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER INDEX course_search_vector SET (fastupdate = off)`);
    await queryRunner.query(`SELECT gin_clean_pending_list('course_search_vector'::regclass)`);
    await queryRunner.query(`CREATE INDEX course_published_popular ON course (seats_sold, id) WHERE status = 'PUBLISHED'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX course_published_popular`);
    await queryRunner.query(`ALTER INDEX course_search_vector RESET (fastupdate)`);
  }
}
