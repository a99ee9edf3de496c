import { join } from 'node:path';
import { createLogger, openDatabase, pingDatabase, startPeriodic, startSubgraph, type RunningServer } from '@coursegraph/runtime';
import type { CourseConfig } from './config';
import type { CourseContext } from './context';
import { createCourseDataSource } from './data-source';
import { createLoaders } from './loaders';
import { resolvers } from './resolvers';
import { seedDemoData } from './seed';
import { SeatEvents } from './seat-events';
import { loadCourses } from './courses';
import { sweepAll } from './sweeper';

/** Starts the course subgraph: database (migrated), seat event listener, expiry sweeper, HTTP and websockets. */
export async function startCourseSubgraph(config: CourseConfig): Promise<RunningServer> {
  const log = createLogger('course');
  const dataSource = await openDatabase(createCourseDataSource(config.databaseUrl));
  if (config.demoData) await seedDemoData(dataSource, log);
  const seatEvents = new SeatEvents(config.databaseUrl, (ids) => loadCourses(dataSource, ids), log);
  await seatEvents.start();
  const sweeper =
    config.sweepIntervalSeconds > 0
      ? startPeriodic('expired reservations', config.sweepIntervalSeconds, () => sweepAll(dataSource, config.sweepBatchSize), log)
      : null;
  return startSubgraph<CourseContext>(
    {
      name: 'course',
      schemaPath: join(__dirname, '..', 'schema.graphql'),
      resolvers,
      context: (caller) => ({ caller, dataSource, config, loaders: createLoaders(dataSource), seatEvents }),
      checks: [{ name: 'database', check: () => pingDatabase(dataSource) }],
      details: () => ({ subscriptions: seatEvents.openSubscriptions }),
      subscriptions: true,
      async onStop() {
        await sweeper?.stop();
        await seatEvents.stop();
        await dataSource.destroy();
      },
      log,
    },
    config,
  );
}
