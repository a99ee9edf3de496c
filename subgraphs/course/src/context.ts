import type { DataSource } from 'typeorm';
import type { Caller } from '@coursegraph/runtime';
import type { CourseConfig } from './config';
import type { CourseLoaders, EventCourseLoader } from './loaders';
import type { SeatListener } from './seat-listener';

/** A user as this subgraph knows them: a reference by id, resolved by the accounts subgraph. */
export interface UserRef {
  id: string;
}

/** What every course resolver gets: the verified caller, the database and per-request loaders. */
export interface CourseContext {
  caller: Caller;
  dataSource: DataSource;
  config: CourseConfig;
  loaders: CourseLoaders;
  seatListener: SeatListener;
  eventCourse: EventCourseLoader;
}
