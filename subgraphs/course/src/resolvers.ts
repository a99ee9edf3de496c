/**
 * The course subgraph's resolvers: who may call (signed in, a role, the order
 * subgraph's service credential) and argument mapping; the work is in the
 * domain modules.
 */
import { requireRole, requireService, requireSignedIn, type Viewer } from '@coursegraph/runtime';
import type { Resolvers } from './__generated__/resolvers-types';
import { findCourse, isVisibleByReference, listCoursesTaught, visibleCourse } from './catalog';
import { archiveCourse, createCourse, deleteCourse, publishCourse, updateCapacity, updateCourse, updatePrice } from './courses';
import { seatLedger } from './ledger';
import type { SeatEvent } from './seat-event';
import { searchCourses, searchFacets } from './search';
import { cancelReservation, confirmReservation, findReservation, purchaseSeat, reserveSeat } from './seats';
import { watchSeats } from './watch';
import { createCategory, deleteCategory, findCategory, listCategories, updateCategory } from './categories';
import { addCoursesToCategory, listCategoryCourses, setCourseCategories } from './category-links';
import { findRelated, publishedCourseIds } from './related';

const money = (amount: number, currency: string) => ({ amount, currency });
const requireAdmin = (viewer: Viewer | null) => requireRole(viewer, ['ADMIN'], 'Only admins can manage categories.');

export const resolvers: Resolvers = {
  Query: {
    course: (_parent, { id }, { caller, loaders }) => findCourse(loaders.course, caller.viewer, id),
    courses: (_parent, { first, after, search, filter, sort }, { caller, dataSource }) =>
      searchCourses(dataSource, caller.viewer, { first: first ?? 20, after, search, filter, sort }),
    courseFacets: (_parent, { search, filter }, { caller, dataSource }) => searchFacets(dataSource, caller.viewer, { search, filter }),
    reservation(_parent, { key }, { caller, dataSource }) {
      requireService(caller, 'order');
      return findReservation(dataSource, key);
    },
    seatLedger(_parent, { courseId }, { caller, dataSource }) {
      requireService(caller, 'order');
      return seatLedger(dataSource, courseId);
    },
    publishedCourseIds(_parent, { ids }, { caller, dataSource }) {
      requireService(caller, 'order');
      return publishedCourseIds(dataSource, ids);
    },
    categories: (_parent, { first, after }, { dataSource }) => listCategories(dataSource, first ?? 100, after),
    category: (_parent, { slug }, { dataSource }) => findCategory(dataSource, slug),
  },
  Mutation: {
    createCourse: (_parent, { input }, { caller, dataSource, config }) =>
      createCourse(dataSource, requireRole(caller.viewer, ['INSTRUCTOR', 'ADMIN'], 'Only instructors and admins can create courses.'), input, {
        limit: config.createCourseLimit,
        windowSeconds: config.createCourseWindowSeconds,
      }),
    updateCoursePrice: (_parent, { input }, { caller, dataSource }) =>
      updatePrice(dataSource, requireSignedIn(caller.viewer), input.courseId, input.price),
    updateCourseCapacity: (_parent, { input }, { caller, dataSource }) =>
      updateCapacity(dataSource, requireSignedIn(caller.viewer), input.courseId, input.capacity),
    publishCourse: (_parent, { input }, { caller, dataSource }) => publishCourse(dataSource, requireSignedIn(caller.viewer), input.courseId),
    archiveCourse: (_parent, { input }, { caller, dataSource }) => archiveCourse(dataSource, requireSignedIn(caller.viewer), input.courseId),
    updateCourse: (_parent, { input }, { caller, dataSource }) => updateCourse(dataSource, requireSignedIn(caller.viewer), input),
    deleteCourse: (_parent, { input }, { caller, dataSource }) => deleteCourse(dataSource, requireSignedIn(caller.viewer), input.courseId),
    purchaseSeat(_parent, { input }, { caller, dataSource }) {
      requireService(caller, 'order');
      return purchaseSeat(dataSource, input);
    },
    reserveSeat(_parent, { input }, { caller, dataSource, config }) {
      requireService(caller, 'order');
      return reserveSeat(dataSource, input, config.reservationTtlSeconds);
    },
    confirmReservation(_parent, { input }, { caller, dataSource }) {
      requireService(caller, 'order');
      return confirmReservation(dataSource, input.key);
    },
    cancelReservation(_parent, { input }, { caller, dataSource }) {
      requireService(caller, 'order');
      const { key, courseId, holderId } = input;
      return cancelReservation(dataSource, key, courseId && holderId ? { courseId, holderId } : undefined);
    },
    createCategory: (_parent, { input }, { caller, dataSource }) => createCategory(dataSource, requireAdmin(caller.viewer), input),
    updateCategory: (_parent, { input }, { caller, dataSource }) => updateCategory(dataSource, requireAdmin(caller.viewer), input.categoryId, input),
    deleteCategory: (_parent, { input }, { caller, dataSource }) =>
      deleteCategory(dataSource, requireAdmin(caller.viewer), input.categoryId, input.detach ?? false),
    setCourseCategories: (_parent, { input }, { caller, dataSource }) =>
      setCourseCategories(
        dataSource,
        requireRole(caller.viewer, ['INSTRUCTOR', 'ADMIN'], 'Only the course instructor or an admin can change its categories.'),
        input.courseId,
        input.categoryIds,
      ),
    addCoursesToCategory: (_parent, { input }, { caller, dataSource }) =>
      addCoursesToCategory(dataSource, requireAdmin(caller.viewer), input.categoryId, input.courseIds),
  },
  Subscription: {
    seatsChanged: {
      subscribe: (_parent, { courseIds }, { caller, dataSource, seatListener }) => watchSeats(seatListener, dataSource, caller.viewer, courseIds),
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
    coursesTaught: ({ id }, { first, after }, { caller, dataSource }) => listCoursesTaught(dataSource, caller.viewer, id, first ?? 20, after),
    publishedCourseCount: ({ id }, _args, { loaders }) => loaders.publishedCourseCount.load(id),
  },
  Course: {
    // course(id)'s rule, but for archived courses (isVisibleByReference): drafts stay hidden from strangers.
    __resolveReference: ({ id }, { caller, loaders }) => visibleCourse(loaders.course, caller.viewer, id, isVisibleByReference),
    instructor: (course) => ({ id: course.instructorId }),
    price: (course) => money(course.priceAmount, course.priceCurrency),
    createdAt: (course) => course.createdAt.toISOString(),
    categories: (course, _args, { loaders }) => loaders.courseCategories.load(course.id),
    related: (course, { first }, { caller, loaders }) => findRelated(loaders.related, caller.viewer, course.id, first ?? 5),
  },
  Category: {
    courseCount: (category, _args, { loaders }) => loaders.categoryCourseCount.load(category.id),
    courses: (category, { first, after }, { caller, dataSource }) => listCategoryCourses(dataSource, caller.viewer, category.id, first ?? 20, after),
  },
  CourseConnection: {
    totalCount: (connection) => connection.totalCount(),
  },
  Reservation: {
    price: (reservation) => money(reservation.priceAmount, reservation.priceCurrency),
    expiresAt: (reservation) => reservation.expiresAt.toISOString(),
  },
};
