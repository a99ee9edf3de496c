/**
 * Public profiles: a user's headline, bio and website, and the one way to
 * change them, `updateProfile`, for the signed-in user's own account only.
 *
 * Rules (the schema's UpdateProfileInput): an omitted or null headline or bio
 * keeps its value; a website that is null or empty is removed. Text is
 * trimmed and checked with the runtime's `checkText` (headline one line, 0 to
 * 120 characters; bio multiline, 0 to 2000); a website is an absolute
 * `http://` or `https://` URL with a host, at most 200 characters, with no
 * user name or password in it (no `user:pass@`). Every refusal is a
 * VALIDATION user error naming its field (`input.website`), and a refused
 * input changes nothing.
 */
import type { DataSource } from 'typeorm';
import { checkText, userError, type Viewer } from '@coursegraph/runtime';
import type { UserError } from './__generated__/resolvers-types';
import { User } from './entities/user';

export const MAX_HEADLINE = 120;
export const MAX_BIO = 2000;
export const MAX_WEBSITE = 200;

/** UpdateProfileInput as it arrives: each field omitted, null or a string. */
export interface ProfileInput {
  headline?: string | null;
  bio?: string | null;
  website?: string | null;
}

/** updateProfile's answer: the user with the new profile, or null and why not. */
export interface ProfilePayload {
  user: User | null;
  userErrors: UserError[];
}

// The scheme and the authority must be written out: `https:example.com` is a URL to WHATWG, not to us.
const ABSOLUTE_HTTP = /^https?:\/\/[^/?#\\]/i;
// Anything before an `@` in the authority is a user name (and maybe a password), even an empty one. Stricter than
// URL's username and password: `\` ends the authority for the URL parser, not here, so `https://a\b@c` is refused too.
const CREDENTIALS = /^https?:\/\/[^/?#]*@/i;

/**
 * A website's refusal, or null: `value` (trimmed) must be a single line of
 * at most MAX_WEBSITE characters, start with `http://` or `https://` and a
 * host, have no `@` in its authority (no credentials), and parse as a URL.
 */
export function checkWebsite(value: string, field = 'input.website'): UserError | null {
  const invalid = checkText(value, field, 1, MAX_WEBSITE);
  if (invalid) return invalid;
  const text = value.trim();
  if (!ABSOLUTE_HTTP.test(text)) return userError('VALIDATION', 'Must be an absolute http:// or https:// URL.', field);
  if (CREDENTIALS.test(text)) return userError('VALIDATION', 'Must not contain a user name or password.', field);
  // For http(s), a URL that parses has a host: `http://:80` does not parse.
  return URL.canParse(text) ? null : userError('VALIDATION', 'Not a valid URL.', field);
}

/** The changes `input` asks for, trimmed, or the first refusal (headline, then bio, then website). */
export function checkProfile(input: ProfileInput): { changes: Partial<Pick<User, 'headline' | 'bio' | 'website'>> } | { error: UserError } {
  const changes: Partial<Pick<User, 'headline' | 'bio' | 'website'>> = {};
  if (input.headline != null) {
    const error = checkText(input.headline, 'input.headline', 0, MAX_HEADLINE);
    if (error) return { error };
    changes.headline = input.headline.trim();
  }
  if (input.bio != null) {
    const error = checkText(input.bio, 'input.bio', 0, MAX_BIO, true);
    if (error) return { error };
    changes.bio = input.bio.trim();
  }
  if (input.website !== undefined) {
    const website = input.website?.trim() ?? '';
    const error = website === '' ? null : checkWebsite(input.website!);
    if (error) return { error };
    changes.website = website === '' ? null : website;
  }
  return { changes };
}

/**
 * updateProfile: changes the signed-in `viewer`'s own profile (there is no
 * way to name another user: identity comes from the token). Answers the
 * updated user, or a VALIDATION user error and no change; a viewer whose
 * account no longer exists gets null and no error (nothing to update).
 */
export async function updateProfile(dataSource: DataSource, viewer: Viewer, input: ProfileInput): Promise<ProfilePayload> {
  const checked = checkProfile(input);
  if ('error' in checked) return { user: null, userErrors: [checked.error] };
  const repository = dataSource.getRepository(User);
  if (Object.keys(checked.changes).length > 0) {
    await repository.update({ id: viewer.userId }, { ...checked.changes, updatedAt: new Date() });
  }
  return { user: await repository.findOneBy({ id: viewer.userId }), userErrors: [] };
}
