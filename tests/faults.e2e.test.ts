/**
 * Issue 9's fault suite, scaled down to fit CI: the services run as their own
 * processes; 20 students buy and cancel seats of 10 courses of 5 seats
 * through the gateway while one fault is injected 3 s in (the full setup of
 * 30 courses, 60 students, fault at 15 s is `npm run bench:faults`). After
 * the reconciler window every course's orders, seats and reservations must
 * agree, no non-final state may be left, and no client may have been told an
 * outcome that did not happen (packages/devkit/src/faults.ts lists the checks).
 *
 * The faults run one after another on one stack, each on its own courses and
 * students; a killed service is restarted before the next one.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from 'pg';
import { dropDatabases } from '@coursegraph/devkit/postgres';
import { ProcessStack } from '@coursegraph/devkit/processes';
import type { Purchase } from '@coursegraph/devkit/load';
import {
  FAULT_ENV,
  FAULT_TITLES,
  FAULTS,
  checkAgreement,
  createCourses,
  failedChecks,
  formatReport,
  runFaultScenario,
  summarizeAnswers,
  type ScenarioOptions,
} from '@coursegraph/devkit/faults';

const SCALED_DOWN: ScenarioOptions = {
  courses: 10,
  seatsPerCourse: 5,
  students: 20,
  faultAtMs: 3_000,
  restartAfterMs: 5_000,
  pauseMs: 15_000,
  outageMs: 10_000,
  loadAfterFaultMs: 3_000,
  settleMs: 30_000,
  cancelRate: 0.5,
};

let stack: ProcessStack;

beforeAll(async () => {
  stack = new ProcessStack({ serverUrl: process.env.TEST_DATABASE_URL!, databasePrefix: 'cg_test_faults', env: FAULT_ENV });
  await stack.start();
}, 180_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

describe('one fault under load: orders, seats and answers agree after the reconciler window', () => {
  test.each(FAULTS.map((fault) => [FAULT_TITLES[fault], fault] as const))(
    '%s',
    async (_title, fault) => {
      const report = await runFaultScenario(stack, fault, SCALED_DOWN);
      // The numbers behind a failure, and what clients saw, in the test output.
      console.log(formatReport(report));
      expect(report.purchases).toBeGreaterThan(SCALED_DOWN.students);
      expect(report.courses).toHaveLength(SCALED_DOWN.courses);
      expect(failedChecks(report)).toEqual([]);
    },
    240_000,
  );
});

describe('the checks themselves', () => {
  /** Runs `work` on a direct connection to one of the run's databases. */
  async function withDb(url: string, work: (db: Client) => Promise<unknown>): Promise<void> {
    const db = new Client({ connectionString: url });
    await db.connect();
    try {
      await work(db);
    } finally {
      await db.end();
    }
  }

  test('catch disagreeing seats, leftovers, false answers and answers outside the contract', async () => {
    const [leftover, oversold, heldForNobody] = await createCourses(stack, 3, 3);
    const student = randomUUID();
    const insertOrder = (db: Client, courseId: string, key: string, status: string) =>
      db.query(
        `INSERT INTO orders (id, course_id, student_id, idempotency_key, status, price_amount, price_currency) VALUES ($1, $2, $3, $4, $5, 1000, 'USD')`,
        [randomUUID(), courseId, student, key, status],
      );
    // A PENDING order the reconciler has not reached, and a CONFIRMED order with a seat but no reservation behind it.
    await withDb(stack.databaseUrls.order, async (db) => {
      await insertOrder(db, leftover!.id, 'key-left-pending', 'PENDING');
      await insertOrder(db, oversold!.id, 'key-told-sold-out', 'CONFIRMED');
    });
    // A seat sold with no reservation behind it, and a seat held with no reservation behind it: counters that add up, rows that disagree.
    await withDb(stack.databaseUrls.course, async (db) => {
      await db.query('UPDATE course SET seats_available = seats_available - 1, seats_sold = seats_sold + 1 WHERE id = $1', [oversold!.id]);
      await db.query('UPDATE course SET seats_available = seats_available - 1, seats_held = seats_held + 1 WHERE id = $1', [heldForNobody!.id]);
    });
    const purchase = (key: string, courseId: string, answers: Purchase['answers']): Purchase => ({
      studentId: student,
      key,
      courseId,
      answers,
      cancels: [],
    });
    const purchases = [
      purchase('key-told-confirmed', leftover!.id, [{ kind: 'order', orderId: randomUUID(), status: 'CONFIRMED' }]),
      purchase('key-told-sold-out', oversold!.id, [{ kind: 'userError', code: 'SOLD_OUT' }]),
      purchase('key-internal-error', oversold!.id, [{ kind: 'graphqlError', code: 'INTERNAL_SERVER_ERROR', retryable: false, httpStatus: 500 }]),
    ];

    const agreement = await checkAgreement(stack, [leftover!.id, oversold!.id, heldForNobody!.id], purchases, 1_000);
    const failed = failedChecks({ fault: 'order-killed', timeline: [], notReady: [], ...summarizeAnswers(purchases), ...agreement });

    expect(failed).toEqual([
      '2 of 3 courses disagree (e.g. capacity 3: 2 available; 0 held, 0 PENDING reservations; 1 sold, 0 CONFIRMED reservations, 1 CONFIRMED orders' +
        ' | capacity 3: 2 available; 1 held, 0 PENDING reservations; 0 sold, 0 CONFIRMED reservations, 0 CONFIRMED orders)',
      expect.stringMatching(/^1 orders disagree with their reservation \(e\.g\. order \S+ CONFIRMED, reservation none\)$/),
      'left after the reconciler window: 1 PENDING/CANCELLING orders, 0 PENDING reservations',
      expect.stringMatching(
        /^2 answers claimed an outcome that did not happen \(e\.g\. key key-told-confirmed: told CONFIRMED, order is no order; key key-told-sold-out: told SOLD_OUT, but a seat was sold \(order CONFIRMED\)\)$/,
      ),
      'answers outside the contract: placeOrder: error INTERNAL_SERVER_ERROR ×1',
    ]);
  });
});

describe('the launcher', () => {
  const isRunning = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };

  test('services stop by themselves when the process that started them is SIGKILLed', async () => {
    // A parent that starts a stack, prints its pids and waits; SIGKILL leaves it no chance to stop them.
    const script = `
      const { ProcessStack } = require('@coursegraph/devkit/processes');
      const stack = new ProcessStack({ serverUrl: process.env.TEST_DATABASE_URL, databasePrefix: 'cg_test_orphans' });
      stack.start().then(() => console.log(JSON.stringify({ pids: ['accounts', 'course', 'order', 'gateway'].map((name) => stack.pid(name)), databases: Object.values(stack.databaseNames) })));
      setInterval(() => undefined, 1000);`;
    const parent = spawn(process.execPath, ['--import', 'tsx', '-e', script], { cwd: join(__dirname, '..'), stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = once(parent, 'exit');
    const lines = createInterface({ input: parent.stdout! });
    try {
      const [line] = (await Promise.race([
        once(lines, 'line'),
        exited.then(() => {
          throw new Error('the parent exited before its stack was up');
        }),
      ])) as [string];
      const started = JSON.parse(line) as { pids: number[]; databases: string[] };
      try {
        expect(started.pids.every(isRunning)).toBe(true);
        parent.kill('SIGKILL');
        await exited;
        // Each service sees its IPC channel close and stops itself (clean stop, at most 10 s).
        const deadline = Date.now() + 30_000;
        while (started.pids.some(isRunning) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
        expect(started.pids.filter(isRunning)).toEqual([]);
      } finally {
        await dropDatabases(process.env.TEST_DATABASE_URL!, started.databases);
      }
    } finally {
      parent.kill('SIGKILL');
    }
  }, 120_000);
});
