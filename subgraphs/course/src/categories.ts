/**
 * Categories themselves: list, look up, create, change and delete. The
 * resolver has checked who may call (anyone reads; only admins change); this
 * module validates input and holds the SQL. Which courses are in a category
 * is category-links.ts.
 *
 * Rules: a slug is lower-case letters, digits and single inner hyphens, 2 to
 * 60 characters, unique (by the `category_slug_unique` constraint, so two
 * concurrent creations cannot both win: the loser gets SLUG_TAKEN); a name is
 * 1 to 80 characters on one line; a description at most 500. A category with
 * courses is deleted only with `detach`, which removes its links first.
 */
import { randomUUID } from 'node:crypto';
import { QueryFailedError, type DataSource } from 'typeorm';
import {
  badInput,
  checkId,
  checkPageSize,
  checkText,
  decodeTupleCursor,
  encodeTupleCursor,
  isCleanText,
  isCursorId,
  userError,
  type Viewer,
} from '@coursegraph/runtime';
import type { UserError } from './__generated__/resolvers-types';
import { Category } from './entities/category';
import { CourseCategory } from './entities/course-category';

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const MAX_NAME = 80;
const MAX_DESCRIPTION = 500;

export interface CategoryPayload {
  category: Category | null;
  userErrors: UserError[];
}

const payload = (category: Category | null, userErrors: UserError[] = []): CategoryPayload => ({ category, userErrors });

/** A VALIDATION error at `field` unless `slug` is a valid slug. */
export function checkSlug(slug: string, field: string): UserError | null {
  return slug.length >= 2 && slug.length <= 60 && SLUG.test(slug)
    ? null
    : userError('VALIDATION', 'A slug is 2 to 60 lower-case letters, digits and single inner hyphens, such as `web-development`.', field);
}

// ---------------------------------------------------------------------------
// Reading.

/** category(slug:): the category, or null. Throws BAD_USER_INPUT for a malformed slug. */
export async function findCategory(dataSource: DataSource, slug: string): Promise<Category | null> {
  const canonical = slug.trim().toLowerCase();
  if (checkSlug(canonical, 'slug')) throw badInput('`slug` is not a valid category slug.');
  return dataSource.getRepository(Category).findOneBy({ slug: canonical });
}

/** A category's position by name: base64url of the JSON `[name, id]`. */
const encodeNameCursor = (category: Category) => encodeTupleCursor([category.name, category.id]);

/** The position a cursor names; throws BAD_USER_INPUT unless encodeNameCursor made it. */
function decodeNameCursor(cursor: string): { name: string; id: string } {
  const [name, id] = decodeTupleCursor(cursor, 2) ?? [];
  if (typeof name !== 'string' || name.length > MAX_NAME || !isCleanText(name) || !isCursorId(id)) {
    throw badInput('`after` is not a cursor returned by this API.');
  }
  return { name, id };
}

/**
 * categories: all categories by name then id, as a cursor connection (keyset
 * on (name, id), so paging is stable while categories are added or renamed).
 */
export async function listCategories(dataSource: DataSource, first: number, after: string | null | undefined) {
  checkPageSize(first);
  const query = dataSource
    .getRepository(Category)
    .createQueryBuilder('category')
    .orderBy('category.name', 'ASC')
    .addOrderBy('category.id', 'ASC')
    .take(first + 1);
  if (after) query.andWhere('(category.name, category.id) > (:name, :id)', decodeNameCursor(after));
  const rows = await query.getMany();
  const page = rows.slice(0, first);
  return {
    edges: page.map((node) => ({ cursor: encodeNameCursor(node), node })),
    pageInfo: { hasNextPage: rows.length > first, endCursor: page.length ? encodeNameCursor(page[page.length - 1]!) : null },
  };
}

// ---------------------------------------------------------------------------
// Changing: each function takes the checked caller, an admin (resolvers.ts), so none runs unchecked.

export interface CategoryFields {
  slug?: string | null;
  name?: string | null;
  description?: string | null;
}

/** The given fields trimmed and checked: a VALIDATION error naming the first bad one, or the values. */
function checkFields(input: CategoryFields): UserError | Partial<Pick<Category, 'slug' | 'name' | 'description'>> {
  const fields: Partial<Pick<Category, 'slug' | 'name' | 'description'>> = {};
  if (input.slug != null) fields.slug = input.slug.trim();
  if (input.name != null) fields.name = input.name.trim();
  if (input.description != null) fields.description = input.description.trim();
  return (
    (fields.slug !== undefined ? checkSlug(fields.slug, 'input.slug') : null) ??
    (fields.name !== undefined ? checkText(fields.name, 'input.name', 1, MAX_NAME) : null) ??
    (fields.description !== undefined ? checkText(fields.description, 'input.description', 0, MAX_DESCRIPTION, true) : null) ??
    fields
  );
}

const isUserError = (value: object): value is UserError => 'code' in value;

/** Runs a write; a clash with another category's slug (the unique constraint) becomes SLUG_TAKEN. */
async function slugUnique(write: () => Promise<CategoryPayload>): Promise<CategoryPayload> {
  try {
    return await write();
  } catch (error) {
    const driver = error instanceof QueryFailedError ? (error.driverError as { code?: string; constraint?: string }) : null;
    if (driver?.code === '23505' && driver.constraint === 'category_slug_unique') {
      return payload(null, [userError('SLUG_TAKEN', 'Another category has this slug.', 'input.slug')]);
    }
    throw error;
  }
}

/** createCategory: `{ slug, name, description? }` -> the new category, or VALIDATION / SLUG_TAKEN. */
export function createCategory(
  dataSource: DataSource,
  _admin: Viewer,
  input: CategoryFields & { slug: string; name: string },
): Promise<CategoryPayload> {
  const fields = checkFields({ ...input, description: input.description ?? '' });
  if (isUserError(fields)) return Promise.resolve(payload(null, [fields]));
  const now = new Date();
  const category = Object.assign(new Category(), { id: randomUUID(), ...fields, createdAt: now, updatedAt: now } as Category);
  return slugUnique(async () => {
    await dataSource.getRepository(Category).insert(category);
    return payload(category);
  });
}

/** updateCategory: the given fields change (null or absent ones stay); NOT_FOUND, VALIDATION or SLUG_TAKEN. */
export async function updateCategory(dataSource: DataSource, _admin: Viewer, categoryId: string, input: CategoryFields): Promise<CategoryPayload> {
  const invalid = checkId(categoryId, 'input.categoryId');
  if (invalid) return payload(null, [invalid]);
  const fields = checkFields(input);
  if (isUserError(fields)) return payload(null, [fields]);
  return slugUnique(() =>
    dataSource.transaction(async (manager) => {
      // FOR NO KEY UPDATE: links being added hold the row FOR KEY SHARE, which a rename need not wait for.
      const category = await manager.findOne(Category, { where: { id: categoryId }, lock: { mode: 'for_no_key_update' } });
      if (!category) return payload(null, [userError('NOT_FOUND', 'No such category.', 'input.categoryId')]);
      if (Object.keys(fields).length === 0) return payload(category);
      Object.assign(category, fields, { updatedAt: new Date() });
      await manager.update(Category, { id: categoryId }, { ...fields, updatedAt: category.updatedAt });
      return payload(category);
    }),
  );
}

export interface DeleteCategoryPayload {
  deletedCategoryId: string | null;
  detachedCourseCount: number | null;
  userErrors: UserError[];
}

/**
 * deleteCategory: deletes a category. One with courses (of any status) is
 * refused with CATEGORY_IN_USE unless `detach`, which removes it from them
 * first. The category row is locked first: links being added hold it
 * (category-links.ts), so none can appear between the count and the delete.
 */
export async function deleteCategory(dataSource: DataSource, _admin: Viewer, categoryId: string, detach: boolean): Promise<DeleteCategoryPayload> {
  const refused = (error: UserError): DeleteCategoryPayload => ({ deletedCategoryId: null, detachedCourseCount: null, userErrors: [error] });
  const invalid = checkId(categoryId, 'input.categoryId');
  if (invalid) return refused(invalid);
  return dataSource.transaction(async (manager) => {
    const category = await manager.findOne(Category, { where: { id: categoryId }, lock: { mode: 'pessimistic_write' } });
    if (!category) return refused(userError('NOT_FOUND', 'No such category.', 'input.categoryId'));
    const courses = await manager.countBy(CourseCategory, { categoryId });
    if (courses > 0 && !detach) {
      return refused(
        userError(
          'CATEGORY_IN_USE',
          `The category has ${courses} course(s); pass \`detach: true\` to remove it from them and delete it.`,
          'input.detach',
        ),
      );
    }
    if (courses > 0) await manager.delete(CourseCategory, { categoryId });
    await manager.delete(Category, { id: categoryId });
    return { deletedCategoryId: categoryId, detachedCourseCount: courses, userErrors: [] };
  });
}
