import type { DataSource } from 'typeorm';
import type { Caller } from '@coursegraph/runtime';
import type { OrderLoaders } from './loaders';
import type { SagaDeps } from './saga';

/** A course as this subgraph knows it: a reference by id, resolved by the course subgraph. */
export interface CourseRef {
  id: string;
  /** Present when the gateway provides it for @requires. */
  instructorId?: string;
}

/** A user as this subgraph knows them: a reference by id, resolved by the accounts subgraph. */
export interface UserRef {
  id: string;
}

/** What every order resolver gets: the verified caller, the saga's dependencies and per-request loaders. */
export interface OrderContext {
  caller: Caller;
  dataSource: DataSource;
  saga: SagaDeps;
  loaders: OrderLoaders;
}
