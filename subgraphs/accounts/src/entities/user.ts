import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Role } from '@coursegraph/runtime';

/**
 * The key an e-mail address is known by: its lower case, so addresses that
 * differ only in case are one account (the CHECK on app_user.email_key) and
 * share one login rate-limit bucket.
 */
export const emailKey = (email: string): string => email.toLowerCase();

/** An account. `emailKey` (see `emailKey`) is unique, so addresses differing only in case collide. */
@Entity({ name: 'app_user' })
export class User {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'varchar', length: 254 })
  email: string;

  @Column({ name: 'email_key', type: 'varchar', length: 254 })
  emailKey: string;

  @Column({ name: 'display_name', type: 'varchar', length: 100 })
  displayName: string;

  /** scrypt$N$r$p$salt$hash, never sent anywhere. */
  @Column({ name: 'password_hash', type: 'varchar', length: 200, select: false })
  passwordHash: string;

  @Column({ type: 'varchar', length: 16, array: true })
  roles: Role[];

  /** Public profile: one line, at most 120 characters, '' when not set (profiles.ts). */
  @Column({ type: 'varchar', length: 120, default: '' })
  headline: string;

  /** Public profile: at most 2000 characters, line breaks allowed, '' when not set. */
  @Column({ type: 'varchar', length: 2000, default: '' })
  bio: string;

  /** Public profile: an absolute http(s) URL of at most 200 characters, or null. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  website: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
