import { readBool, readCommonConfig, readDatabasePoolSize, readInt, readString, type CommonConfig } from '@coursegraph/runtime';

export interface CourseConfig extends CommonConfig {
  port: number;
  databaseUrl: string;
  /** Connections its database pool opens at most (DATABASE_POOL_SIZE). */
  databasePoolSize: number;
  /** How long a PENDING reservation holds its seat. */
  reservationTtlSeconds: number;
  /** How often the expiry sweeper runs; 0 disables it. */
  sweepIntervalSeconds: number;
  sweepBatchSize: number;
  /** Courses one user may create per window (createCourse answers RATE_LIMITED past it), counted in the database. */
  createCourseLimit: number;
  /** Length of that window, in seconds. */
  createCourseWindowSeconds: number;
  /** Load demo courses into an empty database at start. */
  demoData: boolean;
}

export function readCourseConfig(): CourseConfig {
  return {
    ...readCommonConfig(),
    port: readInt('COURSE_PORT', 4001, 0, 65535),
    databaseUrl: readString('COURSE_DATABASE_URL'),
    databasePoolSize: readDatabasePoolSize(),
    reservationTtlSeconds: readInt('RESERVATION_TTL_SECONDS', 600, 1),
    sweepIntervalSeconds: readInt('SWEEP_INTERVAL_SECONDS', 5, 0),
    sweepBatchSize: readInt('SWEEP_BATCH_SIZE', 500, 1, 10_000),
    createCourseLimit: readInt('CREATE_COURSE_RATE_LIMIT', 20, 1),
    createCourseWindowSeconds: readInt('CREATE_COURSE_RATE_WINDOW_SECONDS', 3_600, 1),
    demoData: readBool('DEMO_DATA', false),
  };
}
