/**
 * The order saga's calls to the course subgraph's internal seat API, made
 * directly (not through the gateway) with the service credential. Every
 * call here is idempotent on the reservation key, so each is retried on
 * transport failures and on the course answering SERVICE_UNAVAILABLE, with
 * exponential backoff and full jitter, within a per-attempt timeout and a
 * deadline. Each attempt tells the course subgraph how long it will wait
 * (x-coursegraph-budget-ms), so the course never starts work nobody waits for.
 */
import {
  BUDGET_HEADER,
  createHttpClient,
  DependencyUnavailableError,
  SERVICE_HEADER,
  SERVICE_UNAVAILABLE,
  serviceCredentialSource,
  type Money,
  type UserError,
} from '@coursegraph/runtime';

export type ReservationStatus = 'PENDING' | 'CONFIRMED' | 'CANCELLED' | 'EXPIRED';

export interface ReservationState {
  key: string;
  courseId: string;
  status: ReservationStatus;
}

export interface ReservationResult {
  reservation: ReservationState | null;
  userErrors: UserError[];
}

export interface ReserveSeatRequest {
  courseId: string;
  expectedPrice: Money;
  key: string;
  holderId: string;
}

/** The course subgraph's `seatLedger`: a course's counters and the keys behind held and sold seats. */
export interface SeatLedger {
  courseId: string;
  capacity: number;
  seatsAvailable: number;
  seatsHeld: number;
  seatsSold: number;
  confirmedKeys: string[];
  pendingKeys: string[];
}

/** The course subgraph could not be reached in time; the call may or may not have taken effect. */
export class CourseUnavailableError extends DependencyUnavailableError {
  constructor(cause: unknown) {
    super('course subgraph unavailable', { cause });
    this.name = 'CourseUnavailableError';
  }
}

export interface CourseClientOptions {
  url: string;
  serviceSecret: string;
  /** One attempt's time limit, ms. */
  timeoutMs: number;
  /** A call's time limit, retries included, when the caller gives no deadline of its own, ms. */
  deadlineMs: number;
}

const RESULT = `reservation { key courseId status } userErrors { code field message currentPrice { amount currency } }`;
const RESERVE = `mutation Reserve($input: ReserveSeatInput!) { reserveSeat(input: $input) { ${RESULT} } }`;
const CONFIRM = `mutation Confirm($input: ReservationKeyInput!) { confirmReservation(input: $input) { ${RESULT} } }`;
const CANCEL = `mutation Cancel($input: ReservationKeyInput!) { cancelReservation(input: $input) { ${RESULT} } }`;
const FIND = `query Find($key: String!) { reservation(key: $key) { key courseId status } }`;
const LEDGER = `query Ledger($courseId: ID!) {
  seatLedger(courseId: $courseId) { courseId capacity seatsAvailable seatsHeld seatsSold confirmedKeys pendingKeys }
}`;

/** Failures worth another attempt: the network, a timeout, or the server saying it is overloaded or down. */
class RetryableError extends Error {}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Every method takes an optional absolute `deadline` (epoch ms) and throws
 * CourseUnavailableError when no answer arrived by then (default: now +
 * `deadlineMs`). A GraphQL error other than SERVICE_UNAVAILABLE is a bug and
 * throws a plain Error at once.
 */
export function createCourseClient(options: CourseClientOptions) {
  const credential = serviceCredentialSource(options.serviceSecret, 'order');
  const url = new URL(options.url);
  const http = createHttpClient();

  async function attempt<T>(query: string, variables: object, timeoutMs: number): Promise<T> {
    type Body = { data?: Record<string, T> | null; errors?: { message: string; extensions?: { code?: string } }[] };
    let body: Body;
    try {
      const headers = {
        'content-type': 'application/json',
        [SERVICE_HEADER]: credential(),
        [BUDGET_HEADER]: String(timeoutMs),
      };
      const response = await http.post(url, JSON.stringify({ query, variables }), headers, timeoutMs);
      if (response.status >= 500 || response.status === 429) throw new Error(`HTTP ${response.status}`);
      body = JSON.parse(response.body) as Body;
    } catch (error) {
      throw new RetryableError('request failed', { cause: error });
    }
    if (body.errors?.some((e) => e.extensions?.code === SERVICE_UNAVAILABLE)) {
      throw new RetryableError(`course subgraph unavailable: ${body.errors.map((e) => e.message).join('; ')}`);
    }
    if (body.errors?.length || !body.data) {
      throw new Error(`course subgraph refused the call: ${body.errors?.map((e) => e.message).join('; ') ?? 'no data'}`);
    }
    return Object.values(body.data)[0] as T;
  }

  async function call<T>(query: string, variables: object, deadline = Date.now() + options.deadlineMs): Promise<T> {
    let last: unknown = new Error('no time left for the call');
    for (let attemptNo = 0; ; attemptNo++) {
      const left = deadline - Date.now();
      if (left <= 0) throw new CourseUnavailableError(last);
      try {
        return await attempt<T>(query, variables, Math.min(options.timeoutMs, left));
      } catch (error) {
        if (!(error instanceof RetryableError)) throw error;
        last = error;
        await sleep(Math.min(Math.max(0, deadline - Date.now()), Math.random() * Math.min(1_000, 50 * 2 ** attemptNo)));
      }
    }
  }

  return {
    reserveSeat: (input: ReserveSeatRequest, deadline?: number) => call<ReservationResult>(RESERVE, { input }, deadline),
    confirmReservation: (key: string, deadline?: number) => call<ReservationResult>(CONFIRM, { input: { key } }, deadline),
    cancelReservation: (key: string, deadline?: number) => call<ReservationResult>(CANCEL, { input: { key } }, deadline),
    findReservation: (key: string, deadline?: number) => call<ReservationState | null>(FIND, { key }, deadline),
    seatLedger: (courseId: string, deadline?: number) => call<SeatLedger | null>(LEDGER, { courseId }, deadline),
    close: () => http.close(),
  };
}

export type CourseClient = ReturnType<typeof createCourseClient>;
