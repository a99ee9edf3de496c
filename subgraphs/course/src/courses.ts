/**
 * The catalog's management by instructors: create, edit, reprice, resize,
 * publish, archive, delete a draft. The resolver has checked who may call (signed in; for creating, an
 * instructor or admin); this module validates input and checks ownership.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { checkId, checkText, countAttempt, requireSelfOrAdmin, userError, type RateLimit, type Viewer } from '@coursegraph/runtime';
import { checkMoney, type Money } from '@coursegraph/domain';
import type { UserError } from './__generated__/resolvers-types';
import { Course, type CourseStatus } from './entities/course';
import { Reservation } from './entities/reservation';
import { moveSeats } from './counters';
import { isVisible } from './catalog';

export const MAX_CAPACITY = 100_000;
const MAX_TITLE = 200;
const MAX_DESCRIPTION = 5_000;

export interface CoursePayload {
  course: Course | null;
  userErrors: UserError[];
}

const payload = (course: Course | null, userErrors: UserError[] = []): CoursePayload => ({ course, userErrors });

export interface CreateCourseInput {
  title: string;
  description?: string | null;
  price: Money;
  capacity: number;
}

const checkTitle = (title: string) => checkText(title, 'input.title', 1, MAX_TITLE);
const checkDescription = (description: string) => checkText(description, 'input.description', 0, MAX_DESCRIPTION, true);

function checkCapacity(capacity: number): UserError | null {
  return Number.isInteger(capacity) && capacity >= 1 && capacity <= MAX_CAPACITY
    ? null
    : userError('VALIDATION', `Capacity must be a whole number from 1 to ${MAX_CAPACITY}.`, 'input.capacity');
}

/**
 * Creates a draft course taught by `instructor` (an instructor or admin).
 * Invalid input is a VALIDATION userError; past `limit` valid creations per
 * user in its window (counted in the database, so across instances) it is
 * RATE_LIMITED with `retryAfterSeconds`, and nothing is created. Without
 * `limit` (unit tests of the rules) nothing is counted.
 */
export async function createCourse(dataSource: DataSource, instructor: Viewer, input: CreateCourseInput, limit?: RateLimit): Promise<CoursePayload> {
  const title = input.title.trim();
  const description = (input.description ?? '').trim();
  const error = checkTitle(title) ?? checkDescription(description) ?? checkMoney(input.price, 'input.price') ?? checkCapacity(input.capacity);
  if (error) return payload(null, [error]);
  // Only creations that would succeed are counted: a typo does not use up the allowance.
  const wait = limit ? await countAttempt(dataSource, [[`createCourse:user:${instructor.userId}`, limit]]) : 0;
  if (wait)
    return payload(null, [{ ...userError('RATE_LIMITED', `Too many courses created. Try again in ${wait} seconds.`), retryAfterSeconds: wait }]);
  const now = new Date();
  const course = Object.assign(new Course(), {
    id: randomUUID(),
    title,
    description,
    priceAmount: input.price.amount,
    priceCurrency: input.price.currency,
    instructorId: instructor.userId,
    status: 'DRAFT',
    capacity: input.capacity,
    seatsAvailable: input.capacity,
    seatsHeld: 0,
    seatsSold: 0,
    seatsVersion: 0,
    createdAt: now,
    updatedAt: now,
  } satisfies Course);
  await dataSource.getRepository(Course).insert(course);
  return payload(course);
}

/**
 * Runs `change` on a course the viewer manages, with the course row locked so
 * it cannot race a reservation. Unknown or invisible courses are NOT_FOUND;
 * someone else's is FORBIDDEN.
 */
async function manage(
  dataSource: DataSource,
  viewer: Viewer,
  courseId: string,
  inputError: UserError | null,
  change: (course: Course, manager: EntityManager) => Promise<CoursePayload>,
): Promise<CoursePayload> {
  const invalid = checkId(courseId, 'input.courseId') ?? inputError;
  if (invalid) return payload(null, [invalid]);
  return dataSource.transaction(async (manager) => {
    const course = await manager.findOne(Course, { where: { id: courseId }, lock: { mode: 'pessimistic_write' } });
    if (!course || !isVisible(course, viewer)) return payload(null, [userError('NOT_FOUND', 'No such course.', 'input.courseId')]);
    requireSelfOrAdmin(viewer, course.instructorId, 'Only the course instructor or an admin can change this course.');
    return change(course, manager);
  });
}

async function save(manager: EntityManager, course: Course, patch: Partial<Course>): Promise<CoursePayload> {
  Object.assign(course, patch, { updatedAt: new Date() });
  await manager.update(Course, { id: course.id }, { ...patch, updatedAt: course.updatedAt });
  return payload(course);
}

export function updatePrice(dataSource: DataSource, viewer: Viewer, courseId: string, price: Money) {
  return manage(dataSource, viewer, courseId, checkMoney(price, 'input.price'), (course, manager) =>
    save(manager, course, { priceAmount: price.amount, priceCurrency: price.currency }),
  );
}

export function updateCapacity(dataSource: DataSource, viewer: Viewer, courseId: string, capacity: number) {
  return manage(dataSource, viewer, courseId, checkCapacity(capacity), async (course, manager) => {
    if (capacity < course.seatsHeld + course.seatsSold) {
      return payload(null, [
        userError(
          'CAPACITY_BELOW_TAKEN',
          `Capacity cannot go below the ${course.seatsHeld + course.seatsSold} seats already held or sold.`,
          'input.capacity',
        ),
      ]);
    }
    const delta = capacity - course.capacity;
    if (delta === 0) return payload(course);
    return payload(await moveSeats(manager, course.id, { capacity: delta, available: delta }, 'CAPACITY_CHANGED'));
  });
}

export interface UpdateCourseInput {
  courseId: string;
  title?: string | null;
  description?: string | null;
}

/**
 * updateCourse: the title and description given (trimmed, checked as for
 * createCourse); a field left out or null stays. An archived course is
 * ILLEGAL_TRANSITION: it is out of the catalog, so its text is final.
 */
export function updateCourse(dataSource: DataSource, viewer: Viewer, input: UpdateCourseInput) {
  const title = input.title?.trim();
  const description = input.description?.trim();
  const invalid = (title === undefined ? null : checkTitle(title)) ?? (description === undefined ? null : checkDescription(description));
  return manage(dataSource, viewer, input.courseId, invalid, async (course, manager) => {
    if (course.status === 'ARCHIVED') {
      return payload(null, [userError('ILLEGAL_TRANSITION', 'An archived course cannot be edited.', 'input.courseId')]);
    }
    return save(manager, course, { ...(title === undefined ? {} : { title }), ...(description === undefined ? {} : { description }) });
  });
}

export interface DeleteCoursePayload {
  deletedCourseId: string | null;
  userErrors: UserError[];
}

/**
 * deleteCourse: removes a draft that never had a reservation. Anything else
 * (published or archived, or a reservation on record) is ILLEGAL_TRANSITION:
 * archive it instead, so orders and seat history keep their course.
 */
export async function deleteCourse(dataSource: DataSource, viewer: Viewer, courseId: string): Promise<DeleteCoursePayload> {
  const result = await manage(dataSource, viewer, courseId, null, async (course, manager) => {
    if (course.status !== 'DRAFT' || (await manager.existsBy(Reservation, { courseId: course.id }))) {
      const message = 'Only a draft that never held a seat can be deleted; archive this course instead.';
      return payload(null, [userError('ILLEGAL_TRANSITION', message, 'input.courseId')]);
    }
    await manager.delete(Course, { id: course.id });
    return payload(course);
  });
  return { deletedCourseId: result.course?.id ?? null, userErrors: result.userErrors };
}

/** Status transitions: DRAFT -> PUBLISHED -> ARCHIVED (and DRAFT -> ARCHIVED); repeats are no-ops. */
function setStatus(dataSource: DataSource, viewer: Viewer, courseId: string, to: CourseStatus, allowedFrom: CourseStatus[]) {
  return manage(dataSource, viewer, courseId, null, async (course, manager) => {
    if (course.status === to) return payload(course);
    if (!allowedFrom.includes(course.status)) {
      return payload(null, [
        userError('ILLEGAL_TRANSITION', `A ${course.status.toLowerCase()} course cannot be ${to.toLowerCase()}.`, 'input.courseId'),
      ]);
    }
    return save(manager, course, { status: to });
  });
}

export const publishCourse = (dataSource: DataSource, viewer: Viewer, courseId: string) =>
  setStatus(dataSource, viewer, courseId, 'PUBLISHED', ['DRAFT']);

export const archiveCourse = (dataSource: DataSource, viewer: Viewer, courseId: string) =>
  setStatus(dataSource, viewer, courseId, 'ARCHIVED', ['DRAFT', 'PUBLISHED']);
