/**
 * The order subgraph's resolvers: who may call (signed in, a role) and
 * argument mapping; the work is in the domain modules.
 */
import { requireRole, requireSignedIn } from '@coursegraph/runtime';
import type { Resolvers } from './__generated__/resolvers-types';
import { cancelOrder } from './cancel';
import { findOwnOrder, listCourseOrders, listStudentOrders, ownOrder } from './history';
import { placeOrder } from './saga';
import { findAlsoBought } from './also-bought';

const money = (amount: number, currency: string) => ({ amount, currency });

export const resolvers: Resolvers = {
  Query: {
    order: (_parent, { id }, { caller, dataSource }) => findOwnOrder(dataSource, requireSignedIn(caller.viewer), id),
  },
  Mutation: {
    placeOrder: (_parent, { input }, { caller, saga }) =>
      placeOrder(saga, requireRole(caller.viewer, ['STUDENT'], 'Only students can place orders.'), input, caller.deadline),
    cancelOrder: (_parent, { input }, { caller, saga }) => cancelOrder(saga, requireSignedIn(caller.viewer), input.orderId, caller.deadline),
  },
  Order: {
    // Orders referenced from elsewhere are visible to their student and admins only, as through order(id).
    __resolveReference: async ({ id }, { caller, loaders }) => ownOrder(await loaders.order.load(id), caller.viewer),
    course: (order) => ({ id: order.courseId }),
    student: (order) => ({ id: order.studentId }),
    pricePaid: (order) => money(order.priceAmount, order.priceCurrency),
    createdAt: (order) => order.createdAt.toISOString(),
    updatedAt: (order) => order.updatedAt.toISOString(),
  },
  Course: {
    __resolveReference: (reference) => reference,
    enrollmentCount: ({ id }, _args, { loaders }) => loaders.enrollmentCount.load(id),
    orders: (course, { first, after }, { caller, dataSource }) => listCourseOrders(dataSource, caller.viewer, course, first ?? 20, after),
    alsoBought: ({ id }, { first }, { caller, loaders }) => findAlsoBought(loaders.alsoBought, caller.viewer, id, first ?? 5),
    viewerOrder: ({ id }, _args, { loaders }) => loaders.viewerOrder?.load(id) ?? null,
  },
  User: {
    __resolveReference: ({ id }) => ({ id }),
    orders: ({ id }, { first, after }, { caller, dataSource }) => listStudentOrders(dataSource, caller.viewer, id, first ?? 20, after),
  },
};
