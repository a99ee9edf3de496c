import { join } from 'node:path';
import { createLogger, openDatabase, pingDatabase, ServiceMetrics, startPeriodic, startSubgraph, type RunningServer } from '@coursegraph/runtime';
import type { CourseConfig } from './config';
import type { CourseContext } from './context';
import { createCourseDataSource } from './data-source';
import { createEventCourseLoader, createLoaders } from './loaders';
import { registerSeatMetrics } from './metrics';
import { resolvers } from './resolvers';
import { seedDemoData } from './seed';
import { SeatListener } from './seat-listener';
import { loadCourses } from './catalog';
import { sweepAll } from './sweeper';

/** Starts the course subgraph: database (migrated), seat event listener, expiry sweeper, HTTP and websockets. */
export async function startCourseSubgraph(config: CourseConfig): Promise<RunningServer> {
  const log = createLogger('course');
  const dataSource = await openDatabase(createCourseDataSource(config.databaseUrl, config.databasePoolSize));
  const metrics = new ServiceMetrics('course', config.metrics);
  metrics.observePool(dataSource);
  registerSeatMetrics(metrics, dataSource);
  if (config.demoData) await seedDemoData(dataSource, log);
  const seatListener = new SeatListener(config.databaseUrl, (ids) => loadCourses(dataSource, ids), log);
  await seatListener.start();
  metrics.observeSubscriptions(() => seatListener.openSubscriptions);
  const eventCourse = createEventCourseLoader(dataSource);
  const sweeper =
    config.sweepIntervalSeconds > 0
      ? startPeriodic('expired reservations', config.sweepIntervalSeconds, () => sweepAll(dataSource, config.sweepBatchSize), log)
      : null;
  return startSubgraph<CourseContext>(
    {
      name: 'course',
      schemaPath: join(__dirname, '..', 'schema.graphql'),
      resolvers,
      context: (caller) => ({ caller, dataSource, config, loaders: createLoaders(dataSource), seatListener, eventCourse }),
      checks: [{ name: 'database', check: () => pingDatabase(dataSource) }],
      details: () => ({ subscriptions: seatListener.openSubscriptions }),
      subscriptions: true,
      async onStop() {
        await sweeper?.stop();
        await seatListener.stop();
        await dataSource.destroy();
      },
      log,
      metrics,
    },
    config,
  );
}
