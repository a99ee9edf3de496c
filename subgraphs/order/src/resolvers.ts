import { badInput, checkId, requireSelfOrAdmin, requireSignedIn } from '@coursegraph/runtime';
import type { Resolvers } from './__generated__/resolvers-types';
import { findOrder, listOrders } from './orders';
import { cancelOrder, placeOrder } from './saga';

const money = (amount: number, currency: string) => ({ amount, currency });

export const resolvers: Resolvers = {
  Query: {
    async order(_parent, { id }, { caller, dataSource }) {
      requireSignedIn(caller.viewer);
      if (checkId(id, 'id')) throw badInput('`id` is not a valid order id.');
      const order = await findOrder(dataSource, id);
      if (order) requireSelfOrAdmin(caller.viewer, order.studentId, 'Only the student who placed an order, or an admin, can see it.');
      return order;
    },
  },
  Mutation: {
    placeOrder: (_parent, { input }, { caller, saga }) => placeOrder(saga, caller.viewer, input, caller.deadline),
    cancelOrder: (_parent, { input }, { caller, saga }) => cancelOrder(saga, caller.viewer, input.orderId, caller.deadline),
  },
  Order: {
    // Orders referenced from elsewhere are visible to their student and admins only, as through order(id).
    __resolveReference: async ({ id }, { caller, loaders }) => {
      const order = await loaders.order.load(id);
      if (order) requireSelfOrAdmin(caller.viewer, order.studentId, 'Only the student who placed an order, or an admin, can see it.');
      return order;
    },
    course: (order) => ({ id: order.courseId }),
    student: (order) => ({ id: order.studentId }),
    pricePaid: (order) => money(order.priceAmount, order.priceCurrency),
    createdAt: (order) => order.createdAt.toISOString(),
    updatedAt: (order) => order.updatedAt.toISOString(),
  },
  Course: {
    __resolveReference: (reference) => reference,
    enrollmentCount: ({ id }, _args, { loaders }) => loaders.enrollmentCount.load(id),
    orders: ({ id, instructorId }, { first, after }, { caller, dataSource }) => {
      requireSelfOrAdmin(caller.viewer, instructorId, 'Only the course instructor or an admin can see its orders.');
      return listOrders(dataSource, { courseId: id }, first ?? 20, after);
    },
  },
  User: {
    __resolveReference: ({ id }) => ({ id }),
    orders: ({ id }, { first, after }, { caller, dataSource }) => {
      requireSelfOrAdmin(caller.viewer, id, 'Only the student and admins can see their orders.');
      return listOrders(dataSource, { studentId: id }, first ?? 20, after);
    },
  },
};
