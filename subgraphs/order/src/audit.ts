/**
 * The reconciliation audit: per course, CONFIRMED orders (order database)
 * against sold seats and CONFIRMED reservations (the course subgraph's
 * `seatLedger`, over HTTP with the service credential; no subgraph reads
 * another's database). It repairs what is safe and reports the rest with an
 * error log line each, for an operator.
 *
 * Safe repairs (each an idempotent course call):
 * - a seat sold or held under an order that is final without it (FAILED or
 *   CANCELLED): the seat is given back, as the order's state says;
 * - a CONFIRMED order whose reservation is still PENDING: the seat is confirmed.
 * Reported, never guessed at: a CONFIRMED order whose seat is gone, a sold or
 * held seat without any order, counters that disagree with the reservations.
 * Orders still PENDING or CANCELLING belong to the reconciler and are skipped.
 *
 * Races with live requests are ruled out by order of reads: the ledger is
 * read first and orders after it, so a final order seen with a sold seat was
 * final while the seat was sold; a CONFIRMED order without a sold seat in the
 * ledger is checked again, reservation first, before it counts as a problem.
 */
import type { DataSource } from 'typeorm';
import type { Logger } from '@coursegraph/runtime';
import { CourseUnavailableError, type CourseClient, type SeatLedger } from './course-client';
import type { OrderStatus } from './entities/order';

/** What the audit found for one course; only courses with repairs or problems are listed. */
export interface CourseAudit {
  courseId: string;
  confirmedOrders: number;
  seatsSold: number | null;
  confirmedReservations: number | null;
  /** One sentence per repair made. */
  repaired: string[];
  /** One sentence per disagreement left for an operator. */
  problems: string[];
}

export interface AuditReport {
  /** Courses compared. */
  courses: number;
  repaired: number;
  problems: number;
  findings: CourseAudit[];
}

interface OrderRow {
  id: string;
  status: OrderStatus;
}

/** Courses per page of the scan over the orders' courses. */
const PAGE = 200;

/**
 * Audits every course that has orders; see the module comment. Throws, ending the audit, when the order
 * database cannot be read or the course subgraph cannot be asked (CourseUnavailableError, or a refused call
 * such as a wrong service credential): the audit could not run, which is not a disagreement.
 */
export async function auditOnce(dataSource: DataSource, course: CourseClient, log: Logger): Promise<AuditReport> {
  const report: AuditReport = { courses: 0, repaired: 0, problems: 0, findings: [] };
  for (let after = '00000000-0000-0000-0000-000000000000'; ;) {
    const page = (await dataSource.query(`SELECT DISTINCT course_id AS id FROM orders WHERE course_id > $1 ORDER BY course_id LIMIT $2`, [
      after,
      PAGE,
    ])) as { id: string }[];
    for (const { id } of page) {
      const finding = await auditCourse(dataSource, course, id);
      report.courses++;
      if (!finding.repaired.length && !finding.problems.length) continue;
      report.findings.push(finding);
      report.repaired += finding.repaired.length;
      report.problems += finding.problems.length;
      for (const repair of finding.repaired) log.warn('reconciliation audit repaired a seat', { courseId: id, repair });
      for (const problem of finding.problems)
        log.error('RECONCILIATION AUDIT: seats and orders disagree, an operator must look', { courseId: id, problem });
    }
    if (page.length < PAGE) return report;
    after = page[page.length - 1]!.id;
  }
}

async function auditCourse(dataSource: DataSource, course: CourseClient, courseId: string): Promise<CourseAudit> {
  const finding: CourseAudit = { courseId, confirmedOrders: 0, seatsSold: null, confirmedReservations: null, repaired: [], problems: [] };
  // A course subgraph that cannot be asked (down, or refusing the credential) ends the audit: it could not run,
  // which is not a disagreement of seats and orders.
  const ledger: SeatLedger | null = await course.seatLedger(courseId);
  const keys = ledger ? [...ledger.confirmedKeys, ...ledger.pendingKeys] : [];
  const rows = (await dataSource.query(`SELECT id, status FROM orders WHERE (course_id = $1 AND status = 'CONFIRMED') OR id = ANY($2::uuid[])`, [
    courseId,
    keys.filter((key) => /^[0-9a-f-]{36}$/.test(key)),
  ])) as OrderRow[];
  const orders = new Map(rows.map((row) => [row.id, row.status]));
  finding.confirmedOrders = rows.filter((row) => row.status === 'CONFIRMED').length;
  if (!ledger) {
    if (finding.confirmedOrders) finding.problems.push(`${finding.confirmedOrders} CONFIRMED orders for a course the course subgraph does not know`);
    return finding;
  }
  finding.seatsSold = ledger.seatsSold;
  finding.confirmedReservations = ledger.confirmedKeys.length;
  if (ledger.seatsSold !== ledger.confirmedKeys.length || ledger.seatsHeld !== ledger.pendingKeys.length) {
    finding.problems.push(
      `counters disagree with reservations: sold ${ledger.seatsSold} vs ${ledger.confirmedKeys.length} CONFIRMED, held ${ledger.seatsHeld} vs ${ledger.pendingKeys.length} PENDING`,
    );
  }
  if (ledger.seatsAvailable + ledger.seatsHeld + ledger.seatsSold !== ledger.capacity) {
    finding.problems.push(`counters do not add up to capacity ${ledger.capacity}`);
  }
  const seats = [...ledger.confirmedKeys.map((key) => ({ key, seat: 'sold' })), ...ledger.pendingKeys.map((key) => ({ key, seat: 'held' }))];
  for (const { key, seat } of seats) {
    const status = orders.get(key);
    if (status === 'CONFIRMED' || status === 'PENDING' || status === 'CANCELLING') continue;
    if (status === undefined) {
      finding.problems.push(`seat ${seat} under reservation ${key}, which has no order`);
      continue;
    }
    await repair(finding, `${seat} seat of ${status} order ${key} given back`, async () => {
      const cancelled = await course.cancelReservation({ key });
      return cancelled.reservation?.status === 'CANCELLED' || cancelled.reservation?.status === 'EXPIRED';
    });
  }
  const sold = new Set(ledger.confirmedKeys);
  for (const row of rows) {
    if (row.status !== 'CONFIRMED' || sold.has(row.id)) continue;
    await repair(finding, `seat of CONFIRMED order ${row.id} confirmed`, async () => {
      const reservation = await course.findReservation(row.id);
      if (reservation?.status === 'CONFIRMED') return 'nothing to do';
      const [again] = (await dataSource.query(`SELECT status FROM orders WHERE id = $1`, [row.id])) as OrderRow[];
      if (again?.status !== 'CONFIRMED') return 'nothing to do';
      if (reservation?.status !== 'PENDING') {
        throw new Error(`CONFIRMED order ${row.id} has no seat (reservation ${reservation?.status ?? 'missing'})`);
      }
      return (await course.confirmReservation(row.id)).reservation?.status === 'CONFIRMED';
    });
  }
  return finding;
}

/** Runs one repair: true records it, 'nothing to do' skips it, false or a throw records a problem. */
async function repair(finding: CourseAudit, what: string, action: () => Promise<boolean | 'nothing to do'>): Promise<void> {
  try {
    const outcome = await action();
    if (outcome === true) finding.repaired.push(what);
    else if (outcome === false) finding.problems.push(`could not be repaired: ${what}`);
  } catch (error) {
    if (error instanceof CourseUnavailableError) throw error; // an outage, not a disagreement: the audit stops
    finding.problems.push((error as Error).message);
  }
}
