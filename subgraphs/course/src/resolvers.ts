import { badInput, checkId, checkMoney, forbidden, userError, type Caller } from '@coursegraph/runtime';
import type { Resolvers } from './__generated__/resolvers-types';
import { archiveCourse, createCourse, isVisible, listPublished, publishCourse, updateCapacity, updatePrice } from './courses';
import { cancelReservation, confirmReservation, findReservation, reserveSeat } from './seats';

/** The internal seat API answers services only, never users. */
function requireService(caller: Caller): void {
  if (!caller.service) throw forbidden('This operation is internal.');
}

const money = (amount: number, currency: string) => ({ amount, currency });

export const resolvers: Resolvers = {
  Query: {
    async course(_parent, { id }, { caller, loaders }) {
      if (checkId(id, 'id')) throw badInput('`id` is not a valid course id.');
      const course = await loaders.course.load(id);
      return course && isVisible(course, caller.viewer) ? course : null;
    },
    courses: (_parent, { first, after }, { dataSource }) => listPublished(dataSource, first ?? 20, after),
    reservation(_parent, { key }, { caller, dataSource }) {
      requireService(caller);
      return findReservation(dataSource, key);
    },
  },
  Mutation: {
    createCourse: (_parent, { input }, { caller, dataSource }) => createCourse(dataSource, caller.viewer, input),
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
  Course: {
    __resolveReference: ({ id }, { loaders }) => loaders.course.load(id),
    price: (course) => money(course.priceAmount, course.priceCurrency),
    createdAt: (course) => course.createdAt.toISOString(),
  },
  Reservation: {
    price: (reservation) => money(reservation.priceAmount, reservation.priceCurrency),
    expiresAt: (reservation) => reservation.expiresAt.toISOString(),
  },
};
