import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { Order } from './entities/order';
import { countEnrollments, loadOrders } from './orders';

/** Per-request batch loaders: enrollment counts of a whole catalog page, or all orders referenced, cost one query. */
export interface OrderLoaders {
  enrollmentCount: DataLoader<string, number>;
  order: DataLoader<string, Order | null>;
}

export const createLoaders = (dataSource: DataSource): OrderLoaders => ({
  enrollmentCount: new DataLoader((courseIds) => countEnrollments(dataSource, courseIds)),
  order: new DataLoader((ids) => loadOrders(dataSource, ids)),
});
