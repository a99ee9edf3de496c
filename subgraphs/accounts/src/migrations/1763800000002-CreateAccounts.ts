import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateAccounts1763800000002 implements MigrationInterface {
  name = 'CreateAccounts1763800000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE app_user (
        id uuid PRIMARY KEY,
        email varchar(254) NOT NULL,
        email_key varchar(254) NOT NULL CONSTRAINT app_user_email_key_lower CHECK (email_key = lower(email)),
        display_name varchar(100) NOT NULL,
        password_hash varchar(200) NOT NULL,
        roles varchar(16)[] NOT NULL CONSTRAINT app_user_roles_known CHECK (roles <@ ARRAY['STUDENT', 'INSTRUCTOR', 'ADMIN']::varchar[] AND cardinality(roles) > 0),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX app_user_email ON app_user (email_key)`);
    await queryRunner.query(`
      CREATE TABLE refresh_token (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
        family_id uuid NOT NULL,
        token_hash char(64) NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX refresh_token_hash ON refresh_token (token_hash)`);
    await queryRunner.query(`CREATE INDEX refresh_token_family ON refresh_token (family_id)`);
    // Fixed-window attempt counters for login and register, shared by every instance.
    await queryRunner.query(`
      CREATE TABLE rate_limit (
        key varchar(300) PRIMARY KEY,
        window_start timestamptz NOT NULL,
        attempts integer NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE rate_limit`);
    await queryRunner.query(`DROP TABLE refresh_token`);
    await queryRunner.query(`DROP TABLE app_user`);
  }
}
