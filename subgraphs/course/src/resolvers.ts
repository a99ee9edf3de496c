import { badInput, checkId, checkMoney, isSelfOrAdmin, requireService, userError, type Caller } from '@coursegraph/runtime';
import type { Resolvers } from './__generated__/resolvers-types';
import type { CourseContext } from './context';
import type { Course } from './entities/course';
import { archiveCourse, createCourse, isVisible, isVisibleByReference, listCourses, loadCourses, publishCourse, updateCapacity, updatePrice } from './courses';
import type { CourseLoaders } from './loaders';
import type { SeatEvent } from './seat-event';
import { cancelReservation, confirmReservation, findReservation, reserveSeat, seatLedger } from './seats';

const money = (amount: number, currency: string) => ({ amount, currency });

/** A course by id if the caller may see it by `rule`, else null; malformed ids are unknown ones. */
async function visibleCourse(id: string, caller: Caller, loaders: CourseLoaders, rule = isVisible): Promise<Course | null> {
  const course = await loaders.course.load(id);
  return course && rule(course, caller.viewer) ? course : null;
}

export const MAX_WATCHED_COURSES = 50;

/** Validates the ids, then subscribes; unknown courses and drafts of others are refused. */
function watchSeats(courseIds: readonly string[], { caller, dataSource, seatListener }: CourseContext) {
  const ids = [...new Set(courseIds)];
  if (ids.length < 1 || ids.length > MAX_WATCHED_COURSES) {
    throw badInput(`Watch from 1 to ${MAX_WATCHED_COURSES} courses at a time.`);
  }
  const malformed = ids.find((id) => checkId(id, 'courseIds'));
  if (malformed !== undefined) throw badInput(`"${malformed.slice(0, 40)}" is not a valid course id.`);
  return seatListener.subscribe(ids, async () => {
    const courses = await loadCourses(dataSource, ids);
    const missing = ids.find((_id, index) => !courses[index] || !isVisible(courses[index]!, caller.viewer));
    if (missing !== undefined) throw badInput(`No course with id ${missing}.`);
    return courses as Course[];
  });
}

export const resolvers: Resolvers = {
  Query: {
    course(_parent, { id }, { caller, loaders }) {
      if (checkId(id, 'id')) throw badInput('`id` is not a valid course id.');
      return visibleCourse(id, caller, loaders);
    },
    courses: (_parent, { first, after }, { dataSource }) => listCourses(dataSource, {}, first ?? 20, after),
    reservation(_parent, { key }, { caller, dataSource }) {
      requireService(caller);
      return findReservation(dataSource, key);
    },
    seatLedger(_parent, { courseId }, { caller, dataSource }) {
      requireService(caller);
      if (checkId(courseId, 'courseId')) throw badInput('`courseId` is not a valid course id.');
      return seatLedger(dataSource, courseId);
    },
  },
  Mutation: {
    createCourse: (_parent, { input }, { caller, dataSource, config }) =>
      createCourse(dataSource, caller.viewer, input, { limit: config.createCourseLimit, windowSeconds: config.createCourseWindowSeconds }),
    updateCoursePrice: (_parent, { input }, { caller, dataSource }) =>
      updatePrice(dataSource, caller.viewer, input.courseId, input.price),
    updateCourseCapacity: (_parent, { input }, { caller, dataSource }) =>
      updateCapacity(dataSource, caller.viewer, input.courseId, input.capacity),
    publishCourse: (_parent, { input }, { caller, dataSource }) => publishCourse(dataSource, caller.viewer, input.courseId),
    archiveCourse: (_parent, { input }, { caller, dataSource }) => archiveCourse(dataSource, caller.viewer, input.courseId),
    async reserveSeat(_parent, { input }, { caller, dataSource, config }) {
      requireService(caller);
      const error =
        checkId(input.courseId, 'input.courseId') ??
        checkId(input.holderId, 'input.holderId') ??
        checkMoney(input.expectedPrice, 'input.expectedPrice') ??
        (input.key.length < 1 || input.key.length > 100 ? userError('VALIDATION', 'Key must be 1 to 100 characters.', 'input.key') : null);
      if (error) return { reservation: null, course: null, userErrors: [error] };
      return reserveSeat(dataSource, input, config.reservationTtlSeconds);
    },
    confirmReservation(_parent, { input }, { caller, dataSource }) {
      requireService(caller);
      return confirmReservation(dataSource, input.key);
    },
    cancelReservation(_parent, { input }, { caller, dataSource }) {
      requireService(caller);
      return cancelReservation(dataSource, input.key);
    },
  },
  Subscription: {
    seatsChanged: {
      subscribe: (_parent, { courseIds }, context) => watchSeats(courseIds, context),
      resolve: (event: SeatEvent) => event,
    },
  },
  SeatsChangedEvent: {
    course: (event, _args, { eventCourse }) => eventCourse(event),
    // PostgreSQL's JSON timestamp has microseconds and an offset; clients get plain ISO 8601.
    changedAt: (event) => new Date(event.changedAt).toISOString(),
  },
  User: {
    __resolveReference: ({ id }) => ({ id }),
    coursesTaught: ({ id }, { first, after }, { caller, dataSource }) => {
      const viewer = caller.viewer;
      const own = isSelfOrAdmin(viewer, id);
      return listCourses(dataSource, { instructorId: id, allStatuses: own }, first ?? 20, after);
    },
  },
  Course: {
    // course(id)'s rule, but for archived courses (isVisibleByReference): drafts stay hidden from strangers.
    __resolveReference: ({ id }, { caller, loaders }) => visibleCourse(id, caller, loaders, isVisibleByReference),
    instructor: (course) => ({ id: course.instructorId }),
    price: (course) => money(course.priceAmount, course.priceCurrency),
    createdAt: (course) => course.createdAt.toISOString(),
  },
  Reservation: {
    price: (reservation) => money(reservation.priceAmount, reservation.priceCurrency),
    expiresAt: (reservation) => reservation.expiresAt.toISOString(),
  },
};
