/**
 * The order saga's calls to the course subgraph's internal seat API, made
 * directly (not through the gateway) with the service credential. Every
 * call here is idempotent on the reservation key, so each is retried on
 * transport failures with exponential backoff and full jitter, within a
 * per-attempt timeout and an overall deadline.
 *
 * The calls go through one undici connection pool with keep-alive: two calls
 * per order, so the client's own cost shows in the order throughput (the
 * global fetch costs several times more CPU per call).
 */
import { Pool } from 'undici';
import { SERVICE_HEADER, serviceCredentialSource, type Money, type UserError } from '@coursegraph/runtime';

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

/** The course subgraph could not be reached in time; the call may or may not have taken effect. */
export class CourseUnavailableError extends Error {
  constructor(cause: unknown) {
    super('course subgraph unavailable', { cause });
    this.name = 'CourseUnavailableError';
  }
}

export interface CourseClientOptions {
  url: string;
  serviceSecret: string;
  timeoutMs: number;
  deadlineMs: number;
}

const RESULT = `reservation { key courseId status } userErrors { code field message currentPrice { amount currency } }`;
const RESERVE = `mutation Reserve($input: ReserveSeatInput!) { reserveSeat(input: $input) { ${RESULT} } }`;
const CONFIRM = `mutation Confirm($input: ReservationKeyInput!) { confirmReservation(input: $input) { ${RESULT} } }`;
const CANCEL = `mutation Cancel($input: ReservationKeyInput!) { cancelReservation(input: $input) { ${RESULT} } }`;
const FIND = `query Find($key: String!) { reservation(key: $key) { key courseId status } }`;

/** Failures worth another attempt: the network, a timeout, or the server saying it is overloaded or down. */
class RetryableError extends Error {}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Enough for the saga's concurrency; further calls queue in the pool. */
const POOL_CONNECTIONS = 64;

export function createCourseClient(options: CourseClientOptions) {
  const credential = serviceCredentialSource(options.serviceSecret, 'order');
  const url = new URL(options.url);
  const pool = new Pool(url.origin, { connections: POOL_CONNECTIONS });

  async function attempt<T>(query: string, variables: object, timeoutMs: number): Promise<T> {
    let body: { data?: Record<string, T>; errors?: { message: string }[] };
    try {
      const response = await pool.request({
        method: 'POST',
        path: url.pathname + url.search,
        headers: { 'content-type': 'application/json', [SERVICE_HEADER]: credential() },
        body: JSON.stringify({ query, variables }),
        // The attempt's time limit, for the answer's headers and again for its body.
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      if (response.statusCode >= 500 || response.statusCode === 429) {
        await response.body.dump();
        throw new Error(`HTTP ${response.statusCode}`);
      }
      body = (await response.body.json()) as typeof body;
    } catch (error) {
      throw new RetryableError('request failed', { cause: error });
    }
    if (body.errors?.length || !body.data) {
      throw new Error(`course subgraph refused the call: ${body.errors?.map((e) => e.message).join('; ') ?? 'no data'}`);
    }
    return Object.values(body.data)[0] as T;
  }

  async function call<T>(query: string, variables: object): Promise<T> {
    const deadline = Date.now() + options.deadlineMs;
    for (let attemptNo = 0; ; attemptNo++) {
      try {
        return await attempt<T>(query, variables, Math.max(1, Math.min(options.timeoutMs, deadline - Date.now())));
      } catch (error) {
        if (!(error instanceof RetryableError)) throw error;
        const left = deadline - Date.now();
        if (left <= 0) throw new CourseUnavailableError(error);
        await sleep(Math.min(left, Math.random() * Math.min(1_000, 50 * 2 ** attemptNo)));
      }
    }
  }

  return {
    reserveSeat: (input: ReserveSeatRequest) => call<ReservationResult>(RESERVE, { input }),
    confirmReservation: (key: string) => call<ReservationResult>(CONFIRM, { input: { key } }),
    cancelReservation: (key: string) => call<ReservationResult>(CANCEL, { input: { key } }),
    findReservation: (key: string) => call<ReservationState | null>(FIND, { key }),
    close: () => pool.close(),
  };
}

export type CourseClient = ReturnType<typeof createCourseClient>;
