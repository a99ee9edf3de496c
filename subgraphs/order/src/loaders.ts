import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { Order } from './entities/order';
import { countEnrollments, loadActiveOrders, loadOrders } from './orders';
import { alsoBought, alsoBoughtKeyId, type AlsoBoughtKey, type CourseReference, type PublishedFilter } from './also-bought';

/** Per-request batch loaders: enrollment counts of a whole catalog page, or all orders referenced, cost one query. */
export interface OrderLoaders {
  enrollmentCount: DataLoader<string, number>;
  order: DataLoader<string, Order | null>;
  /** Course.alsoBought by (course id, first, viewer): one statement and one call to the course subgraph per request. */
  alsoBought: DataLoader<AlsoBoughtKey, CourseReference[], string>;
  /** Course.viewerOrder by course id, for the signed-in user; null when signed out. */
  viewerOrder: DataLoader<string, Order | null> | null;
}

/**
 * `published` answers which courses are published (the course subgraph, within
 * the request's deadline); `viewerId` is the signed-in user's id, null when signed out.
 */
export const createLoaders = (dataSource: DataSource, published: PublishedFilter, viewerId: string | null): OrderLoaders => ({
  enrollmentCount: new DataLoader((courseIds) => countEnrollments(dataSource, courseIds)),
  order: new DataLoader((ids) => loadOrders(dataSource, ids)),
  alsoBought: new DataLoader((keys) => alsoBought(dataSource, published, keys), { cacheKeyFn: alsoBoughtKeyId }),
  viewerOrder: viewerId ? new DataLoader((courseIds) => loadActiveOrders(dataSource, viewerId, courseIds)) : null,
});
