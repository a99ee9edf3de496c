import { createDataSource } from '@coursegraph/runtime';
import { Order } from './entities/order';
import { CreateOrders1763800000001 } from './migrations/1763800000001-CreateOrders';

export const createOrderDataSource = (url: string, poolSize?: number) =>
  createDataSource({
    url,
    poolSize,
    applicationName: 'coursegraph-order',
    entities: [Order],
    migrations: [CreateOrders1763800000001],
  });
