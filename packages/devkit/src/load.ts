/**
 * A closed-loop load of students buying seats through the gateway over HTTP,
 * recording every answer a client saw, for the fault harness
 * (packages/devkit/src/faults.ts).
 *
 * Each student loops until stopped (or `purchasesPerStudent` purchases): pick
 * at random a course it was not told it holds, placeOrder with a new idempotency key, and after a
 * CONFIRMED answer sometimes cancelOrder. An answer whose outcome is not
 * known (ORDER_PENDING, a GraphQL error such as SERVICE_UNAVAILABLE, a
 * transport error) is retried with the same key, or the same cancel, a
 * bounded number of times within a bounded time: the contract says both are
 * safe to repeat (issue 9, "Contracts agreed between the engineers").
 */
import { randomUUID } from 'node:crypto';
import type { Viewer } from '@coursegraph/runtime';
import { sleep } from './timing';

/** What one request got back, as the client saw it. */
export type Answer =
  /** A payload with an order and no user error (placeOrder: the order's status; cancelOrder: CANCELLED when done). */
  | { kind: 'order'; orderId: string; status: string }
  /** A payload with a user error (code) and maybe the order in its current state. */
  | { kind: 'userError'; code: string; orderId?: string; status?: string }
  /** A GraphQL error and no payload; `retryable` is extensions.retryable. */
  | { kind: 'graphqlError'; code: string; retryable: boolean; httpStatus: number }
  /** No GraphQL answer: connection refused or reset, no answer in time, or a body that is not GraphQL. */
  | { kind: 'transport'; detail: string };

/** One purchase: one idempotency key, every placeOrder answer for it, and the cancels of the order it made. */
export interface Purchase {
  studentId: string;
  key: string;
  courseId: string;
  answers: Answer[];
  /** The order id any answer carried. */
  orderId?: string;
  cancels: Answer[];
}

export interface LoadCourse {
  id: string;
  price: { amount: number; currency: string };
}

export interface LoadOptions {
  gatewayUrl: string;
  token(viewer: Viewer): string;
  courses: LoadCourse[];
  students: number;
  /** Chance (0..1) that a student cancels right after a CONFIRMED answer. */
  cancelRate: number;
  /** Upper bound of purchases per student. */
  purchasesPerStudent: number;
  /** Requests one purchase (or one cancel) makes at most, and the time it keeps retrying (ms). */
  maxAttempts: number;
  retryForMs: number;
  /** How long one request may take before the client gives up on it (ms); longer than the gateway's own limit. */
  requestTimeoutMs: number;
}

/** The codes that settle a purchase: the client stops retrying and takes the answer as final. */
export const DEFINITE_PURCHASE_FAILURES = new Set([
  'SOLD_OUT',
  'PRICE_CHANGED',
  'ALREADY_ENROLLED',
  'UNAVAILABLE',
  'IDEMPOTENCY_KEY_REUSED',
  'VALIDATION',
  'COURSE_NOT_PUBLISHED',
  'NOT_FOUND',
  'RESERVATION_EXPIRED',
]);
/** The codes that settle a cancel without cancelling: the order stays as it was. */
export const DEFINITE_CANCEL_FAILURES = new Set(['ILLEGAL_TRANSITION', 'UNAVAILABLE', 'NOT_FOUND', 'VALIDATION']);

const PLACE_ORDER = `mutation FaultPlaceOrder($input: PlaceOrderInput!) {
  placeOrder(input: $input) { order { id status } userErrors { code } }
}`;
const CANCEL_ORDER = `mutation FaultCancelOrder($input: CancelOrderInput!) {
  cancelOrder(input: $input) { order { id status } userErrors { code } }
}`;

interface Payload {
  order: { id: string; status: string } | null;
  userErrors: { code: string }[];
}
interface Body {
  data?: Record<string, Payload | null> | null;
  errors?: { extensions?: { code?: string; retryable?: boolean } }[];
}

/** One GraphQL POST, its outcome reduced to an Answer. Never throws. */
async function send(options: LoadOptions, token: string, query: string, field: string, input: object): Promise<Answer> {
  let response: Response;
  let text: string;
  try {
    response = await fetch(options.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables: { input } }),
      signal: AbortSignal.timeout(options.requestTimeoutMs),
    });
    text = await response.text();
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    const name = (error as Error).name;
    return { kind: 'transport', detail: name === 'TimeoutError' ? 'no answer in time' : (cause?.code ?? name) };
  }
  let body: Body;
  try {
    body = JSON.parse(text) as Body;
  } catch {
    return { kind: 'transport', detail: `HTTP ${response.status}, not JSON` };
  }
  const payload = body.data?.[field];
  if (payload) {
    const error = payload.userErrors[0];
    const order = payload.order ? { orderId: payload.order.id, status: payload.order.status } : {};
    if (error) return { kind: 'userError', code: error.code, ...order };
    if (payload.order) return { kind: 'order', orderId: payload.order.id, status: payload.order.status };
  }
  const extensions = body.errors?.[0]?.extensions;
  return { kind: 'graphqlError', code: extensions?.code ?? 'NO_CODE', retryable: extensions?.retryable === true, httpStatus: response.status };
}

/** The answer as one word for tables: the order status, the user error code, or the GraphQL error code. */
export function label(answer: Answer): string {
  switch (answer.kind) {
    case 'order':
      return answer.status;
    case 'userError':
      return answer.code;
    case 'graphqlError':
      return `error ${answer.code}`;
    case 'transport':
      return `transport: ${answer.detail}`;
  }
}

const settlesPurchase = (answer: Answer) =>
  (answer.kind === 'order' && ['CONFIRMED', 'FAILED'].includes(answer.status)) ||
  (answer.kind === 'userError' && DEFINITE_PURCHASE_FAILURES.has(answer.code));
const settlesCancel = (answer: Answer) =>
  (answer.kind === 'order' && answer.status === 'CANCELLED') || (answer.kind === 'userError' && DEFINITE_CANCEL_FAILURES.has(answer.code));

/** Sends `attempt` until an answer settles it, `maxAttempts` were made or `retryForMs` passed; backoff 200 ms doubling to 2 s, with jitter. */
async function withRetries(
  options: LoadOptions,
  attempt: () => Promise<Answer>,
  settles: (answer: Answer) => boolean,
  answers: Answer[],
): Promise<Answer> {
  const giveUpAt = Date.now() + options.retryForMs;
  for (let tries = 0; ; tries++) {
    const answer = await attempt();
    answers.push(answer);
    if (settles(answer) || tries + 1 >= options.maxAttempts || Date.now() >= giveUpAt) return answer;
    await sleep(Math.min(2_000, 200 * 2 ** tries) * (0.5 + Math.random() / 2));
  }
}

export interface Load {
  /** Every purchase so far, in the order they started. */
  purchases: Purchase[];
  /** Students start no new purchase; resolves when every running one is settled or given up. */
  stop(): Promise<void>;
}

/** Starts the students; they run until stop(). */
export function startLoad(options: LoadOptions): Load {
  const purchases: Purchase[] = [];
  let stopped = false;
  const student = async () => {
    const viewer: Viewer = { userId: randomUUID(), roles: ['STUDENT'] };
    const token = options.token(viewer);
    // Courses this student holds a seat of (as far as it was told): it does not try to buy them again.
    const holds = new Set<string>();
    for (let count = 0; count < options.purchasesPerStudent && !stopped; count++) {
      const choices = options.courses.filter((course) => !holds.has(course.id));
      if (!choices.length) break;
      const course = choices[Math.floor(Math.random() * choices.length)]!;
      const purchase: Purchase = { studentId: viewer.userId, key: randomUUID(), courseId: course.id, answers: [], cancels: [] };
      purchases.push(purchase);
      const input = { courseId: course.id, expectedPrice: course.price, idempotencyKey: purchase.key };
      const last = await withRetries(options, () => send(options, token, PLACE_ORDER, 'placeOrder', input), settlesPurchase, purchase.answers);
      purchase.orderId = purchase.answers.map((answer) => ('orderId' in answer ? answer.orderId : undefined)).find(Boolean);
      if (last.kind === 'order' && last.status === 'CONFIRMED') {
        holds.add(course.id);
        if (Math.random() < options.cancelRate) {
          await sleep(20 + Math.random() * 100);
          const cancel = { orderId: last.orderId };
          const answer = await withRetries(options, () => send(options, token, CANCEL_ORDER, 'cancelOrder', cancel), settlesCancel, purchase.cancels);
          if (answer.kind === 'order' && answer.status === 'CANCELLED') holds.delete(course.id);
        }
      }
      await sleep(20 + Math.random() * 100);
    }
  };
  const running = Promise.all(Array.from({ length: options.students }, () => student()));
  return {
    purchases,
    async stop() {
      stopped = true;
      await running;
    },
  };
}
