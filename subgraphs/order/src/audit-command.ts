/**
 * The reconciliation audit as an operator's command (audit.ts does the work):
 * `npm run audit` (scripts/audit.ts) and, in the image, `node
 * --conditions=coursegraph-built dist/run-audit.js`. Compares, per course,
 * CONFIRMED orders with sold seats and CONFIRMED reservations; repairs what
 * is safe; prints the report as JSON on stdout and logs each repair (warn)
 * and each problem (error) on stderr.
 *
 * Reads the order database directly (ORDER_DATABASE_URL, not migrated here)
 * and asks the course subgraph over HTTP (COURSE_SUBGRAPH_URL) with the
 * service credential (SERVICE_SECRET), like the order subgraph itself: it
 * reads the order subgraph's configuration, so run it with that service's
 * environment (in production every secret it requires, SUBGRAPH_SECRET too).
 *
 * Exit status: 0 when seats and orders agree (after repairs), 2 when problems
 * are left for an operator, 1 when the audit could not run.
 */
import { createLogger, newRequestId, openDatabase, runWithRequestId } from '@coursegraph/runtime';
import { auditOnce } from './audit';
import { readOrderConfig } from './config';
import { createCourseClient } from './course-client';
import { createOrderDataSource } from './data-source';

async function audit(): Promise<number> {
  const config = readOrderConfig();
  const log = createLogger('audit');
  const dataSource = await openDatabase(createOrderDataSource(config.databaseUrl, 2), false);
  const course = createCourseClient({
    url: config.courseUrl,
    serviceSecret: config.serviceSecret,
    timeoutMs: config.courseCallTimeoutMs,
    deadlineMs: config.courseCallDeadlineMs,
  });
  try {
    // One run, one request id: its log lines and its calls to the course subgraph carry it.
    const report = await runWithRequestId(newRequestId(), () => auditOnce(dataSource, course, log));
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return report.problems > 0 ? 2 : 0;
  } finally {
    course.close();
    await dataSource.destroy();
  }
}

/** Runs the audit once and exits the process with its status (module docstring). */
export function runAuditCommand(): void {
  audit().then(
    (status) => process.exit(status),
    (error: unknown) => {
      console.error(`audit failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
