import { readBool, readCommonConfig, readInt, readString, type CommonConfig } from '@coursegraph/runtime';

export interface CourseConfig extends CommonConfig {
  port: number;
  databaseUrl: string;
  /** How long a PENDING reservation holds its seat. */
  reservationTtlSeconds: number;
  /** How often the expiry sweeper runs; 0 disables it. */
  sweepIntervalSeconds: number;
  sweepBatchSize: number;
  /** Load demo courses into an empty database at start. */
  demoData: boolean;
}

export function readCourseConfig(): CourseConfig {
  return {
    ...readCommonConfig(),
    port: readInt('COURSE_PORT', 4001, 0, 65535),
    databaseUrl: readString('COURSE_DATABASE_URL'),
    reservationTtlSeconds: readInt('RESERVATION_TTL_SECONDS', 600, 1),
    sweepIntervalSeconds: readInt('SWEEP_INTERVAL_SECONDS', 5, 0),
    sweepBatchSize: readInt('SWEEP_BATCH_SIZE', 500, 1, 10_000),
    demoData: readBool('DEMO_DATA', false),
  };
}
