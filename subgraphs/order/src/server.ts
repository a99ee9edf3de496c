import { join } from 'node:path';
import { createLogger, openDatabase, pingDatabase, ServiceMetrics, startPeriodic, startSubgraph, type RunningServer } from '@coursegraph/runtime';
import type { OrderConfig } from './config';
import type { OrderContext } from './context';
import { createCourseClient } from './course-client';
import { createOrderDataSource } from './data-source';
import { createLoaders } from './loaders';
import { reconcileOnce } from './reconciler';
import { auditOnce } from './audit';
import { registerOrderMetrics } from './metrics';
import { resolvers } from './resolvers';
import type { SagaDeps } from './saga';

/** Starts the order subgraph: database (migrated), reconciler, reconciliation audit, HTTP. */
export async function startOrderSubgraph(config: OrderConfig): Promise<RunningServer> {
  const log = createLogger('order');
  const dataSource = await openDatabase(createOrderDataSource(config.databaseUrl, config.databasePoolSize));
  const metrics = new ServiceMetrics('order', config.metrics);
  metrics.observePool(dataSource);
  registerOrderMetrics(metrics, dataSource);
  const course = createCourseClient({
    url: config.courseUrl,
    serviceSecret: config.serviceSecret,
    timeoutMs: config.courseCallTimeoutMs,
    deadlineMs: config.courseCallDeadlineMs,
  });
  const saga: SagaDeps = { dataSource, course, log, forwardMs: config.courseCallDeadlineMs, compensationMs: config.compensationDeadlineMs };
  const reconciler =
    config.reconcileIntervalSeconds > 0
      ? startPeriodic(
          'reconciled orders',
          config.reconcileIntervalSeconds,
          () => reconcileOnce(dataSource, course, config.reconcileAfterSeconds, 50, log),
          log,
        )
      : null;
  const audit =
    config.auditIntervalSeconds > 0
      ? startPeriodic('reconciliation audit', config.auditIntervalSeconds, async () => (await auditOnce(dataSource, course, log)).repaired, log)
      : null;
  return startSubgraph<OrderContext>(
    {
      name: 'order',
      schemaPath: join(__dirname, '..', 'schema.graphql'),
      resolvers,
      context: (caller) => ({
        caller,
        dataSource,
        saga,
        loaders: createLoaders(dataSource, (ids) => course.publishedCourseIds(ids, caller.deadline ?? undefined), caller.viewer?.userId ?? null),
      }),
      checks: [{ name: 'database', check: () => pingDatabase(dataSource) }],
      async onStop() {
        await reconciler?.stop();
        await audit?.stop();
        course.close();
        await dataSource.destroy();
      },
      log,
      metrics,
    },
    config,
  );
}
