/**
 * The order saga's calls to the course subgraph's internal seat API, made
 * directly (not through the gateway) with the service credential. Every
 * call here is idempotent on the reservation key, so each is retried on
 * transport failures with exponential backoff and full jitter, within a
 * per-attempt timeout and an overall deadline.
 */
import { createHttpClient, SERVICE_HEADER, serviceCredentialSource, type Money, type UserError } from '@coursegraph/runtime';

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

export function createCourseClient(options: CourseClientOptions) {
  const credential = serviceCredentialSource(options.serviceSecret, 'order');
  const url = new URL(options.url);
  const http = createHttpClient();

  async function attempt<T>(query: string, variables: object, timeoutMs: number): Promise<T> {
    let body: { data?: Record<string, T>; errors?: { message: string }[] };
    try {
      const headers = { 'content-type': 'application/json', [SERVICE_HEADER]: credential() };
      const response = await http.post(url, JSON.stringify({ query, variables }), headers, timeoutMs);
      if (response.status >= 500 || response.status === 429) throw new Error(`HTTP ${response.status}`);
      body = JSON.parse(response.body) as typeof body;
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
        return await attempt<T>(query, variables, Math.min(options.timeoutMs, deadline - Date.now()));
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
    close: () => http.close(),
  };
}

export type CourseClient = ReturnType<typeof createCourseClient>;
