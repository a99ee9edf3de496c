import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { OrderContext } from './context';
import { countEnrollments, loadOrders } from './orders';

/** Per-request batch loaders: enrollment counts of a whole catalog page, or all orders referenced, cost one query. */
export const createLoaders = (dataSource: DataSource): OrderContext['loaders'] => ({
  enrollmentCount: new DataLoader((courseIds) => countEnrollments(dataSource, courseIds)),
  order: new DataLoader((ids) => loadOrders(dataSource, ids)),
});
