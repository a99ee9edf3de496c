import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Public instructor profiles on app_user (headline, bio, website), with their
 * bounds as CHECK constraints too, and the index the instructors list pages
 * through: instructors only, in (display_name, id) order.
 */
export class AddProfiles1764500000000 implements MigrationInterface {
  name = 'AddProfiles1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE app_user
        ADD COLUMN headline varchar(120) NOT NULL DEFAULT '',
        ADD COLUMN bio varchar(2000) NOT NULL DEFAULT '',
        ADD COLUMN website varchar(200) CONSTRAINT app_user_website_http CHECK (website ~* '^https?://')`);
    await queryRunner.query(`CREATE INDEX app_user_instructors ON app_user (display_name, id) WHERE 'INSTRUCTOR' = ANY (roles)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX app_user_instructors`);
    await queryRunner.query(`ALTER TABLE app_user DROP COLUMN website, DROP COLUMN bio, DROP COLUMN headline`);
  }
}
