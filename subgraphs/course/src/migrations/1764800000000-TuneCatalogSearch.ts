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
 *
 * Deliberately not indexed: the seat counters (seats_sold for POPULAR,
 * seats_available for SEATS_LEFT). Every reservation and confirmation
 * updates them under the course row lock; while no index covers a column
 * they change, that update can be heap-only (HOT: measured here 2377 of
 * 3000 updates in autocommit, 0 of 3000 once seats_sold had an index) and
 * writes no index entry, the GIN ones included. Those two sorts without a
 * search read the published courses and keep the top rows (a top-N sort).
 */
export class TuneCatalogSearch1764800000000 implements MigrationInterface {
  name = 'TuneCatalogSearch1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER INDEX course_search_vector SET (fastupdate = off)`);
    await queryRunner.query(`SELECT gin_clean_pending_list('course_search_vector'::regclass)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER INDEX course_search_vector RESET (fastupdate)`);
  }
}
