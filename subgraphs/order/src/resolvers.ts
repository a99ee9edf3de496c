import { badInput, checkId, forbidden, unauthenticated } from '@coursegraph/runtime';
import type { Resolvers } from './__generated__/resolvers-types';
import { findOrder } from './orders';
import { cancelOrder, placeOrder } from './saga';

const money = (amount: number, currency: string) => ({ amount, currency });

export const resolvers: Resolvers = {
  Query: {
    async order(_parent, { id }, { caller, dataSource }) {
      const viewer = caller.viewer;
      if (!viewer) throw unauthenticated();
      if (checkId(id, 'id')) throw badInput('`id` is not a valid order id.');
      const order = await findOrder(dataSource, id);
      if (order && order.studentId !== viewer.userId && !viewer.roles.includes('ADMIN')) {
        throw forbidden('Only the student who placed an order, or an admin, can see it.');
      }
      return order;
    },
  },
  Mutation: {
    placeOrder: (_parent, { input }, { caller, saga }) => placeOrder(saga, caller.viewer, input),
    cancelOrder: (_parent, { input }, { caller, saga }) => cancelOrder(saga, caller.viewer, input.orderId),
  },
  Order: {
    __resolveReference: ({ id }, { dataSource }) => findOrder(dataSource, id),
    course: (order) => ({ id: order.courseId }),
    pricePaid: (order) => money(order.priceAmount, order.priceCurrency),
    createdAt: (order) => order.createdAt.toISOString(),
    updatedAt: (order) => order.updatedAt.toISOString(),
  },
  Course: {
    __resolveReference: ({ id }) => ({ id }),
    enrollmentCount: ({ id }, _args, { loaders }) => loaders.enrollmentCount.load(id),
  },
};
