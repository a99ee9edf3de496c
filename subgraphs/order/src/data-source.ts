import { createDataSource } from '@coursegraph/runtime';
import { Order } from './entities/order';
import { CreateOrders1763800000001 } from './migrations/1763800000001-CreateOrders';
import { OrderCancelling1764400000000 } from './migrations/1764400000000-OrderCancelling';
import { OrderFailureReasons1764500000000 } from './migrations/1764500000000-OrderFailureReasons';

export const createOrderDataSource = (url: string, poolSize?: number) =>
  createDataSource({
    url,
    poolSize,
    applicationName: 'coursegraph-order',
    entities: [Order],
    migrations: [CreateOrders1763800000001, OrderCancelling1764400000000, OrderFailureReasons1764500000000],
  });
