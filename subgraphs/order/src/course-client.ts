/**
 * The order saga's calls to the course subgraph's internal seat API, made
 * directly (not through the gateway) with the service credential. Every
 * call here is idempotent on the reservation key, so each is retried on
 * transport failures and on the course answering SERVICE_UNAVAILABLE, with
 * exponential backoff and full jitter, within a per-attempt timeout and a
 * deadline. Each attempt tells the course subgraph how long it will wait
 * (x-coursegraph-budget-ms), so the course never starts work nobody waits for.
 * Each call carries the current request id (X-Request-Id, added by the
 * runtime's HTTP client), so one order's calls all carry its request's id.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type DocumentNode } from 'graphql';
import {
  BUDGET_HEADER,
  createHttpClient,
  DependencyUnavailableError,
  SERVICE_HEADER,
  SERVICE_UNAVAILABLE,
  serviceCredentialSource,
  type HttpAnswer,
} from '@coursegraph/runtime';
import {
  CancelDocument,
  ConfirmDocument,
  FindDocument,
  PurchaseDocument,
  LedgerDocument,
  PublishedCourseIdsDocument,
  type ReservationResultFragment,
  type CancelReservationInput,
  type ReserveSeatInput,
  type LedgerQuery,
} from './__generated__/course-operations';

/** A reservation mutation's answer (course-operations.graphql, `ReservationResult`). */
export type ReservationResult = ReservationResultFragment;
/** The course subgraph's `seatLedger`: a course's counters and the keys behind held and sold seats. */
export type SeatLedger = NonNullable<LedgerQuery['seatLedger']>;

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

/** Failures worth another attempt: the network, a timeout, or the server saying it is overloaded or down (5xx, 429). */
class RetryableError extends Error {}

/** Each document's text, printed once: the `query` of its requests. */
const texts = new WeakMap<DocumentNode, string>();
function printed(document: DocumentNode): string {
  let text = texts.get(document);
  if (text === undefined) texts.set(document, (text = print(document)));
  return text;
}

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

  async function attempt<R>(query: string, variables: unknown, timeoutMs: number): Promise<R> {
    type Body = { data?: R | null; errors?: { message: string; extensions?: { code?: string } }[] };
    const headers = {
      'content-type': 'application/json',
      [SERVICE_HEADER]: credential(),
      [BUDGET_HEADER]: String(timeoutMs),
    };
    let response: HttpAnswer;
    try {
      response = await http.post(url, JSON.stringify({ query, variables }), headers, timeoutMs);
    } catch (error) {
      throw new RetryableError('request failed', { cause: error });
    }
    if (response.status >= 500 || response.status === 429) throw new RetryableError(`HTTP ${response.status}`);
    let body: Body;
    try {
      body = JSON.parse(response.body) as Body;
    } catch {
      // Another answer to the same request would not be different (a wrong URL, a proxy's error page).
      throw new Error(`course subgraph answered HTTP ${response.status} without a GraphQL response`);
    }
    if (body.errors?.some((e) => e.extensions?.code === SERVICE_UNAVAILABLE)) {
      throw new RetryableError(`course subgraph unavailable: ${body.errors.map((e) => e.message).join('; ')}`);
    }
    if (body.errors?.length || !body.data) {
      throw new Error(`course subgraph refused the call: ${body.errors?.map((e) => e.message).join('; ') ?? 'no data'}`);
    }
    return body.data;
  }

  /** One operation, retried until `deadline`; resolves to its `data`. */
  async function call<R, V>(document: TypedDocumentNode<R, V>, variables: V, deadline = Date.now() + options.deadlineMs): Promise<R> {
    const query = printed(document);
    let last: unknown = new Error('no time left for the call');
    for (let attemptNo = 0; ; attemptNo++) {
      const left = deadline - Date.now();
      if (left <= 0) throw new CourseUnavailableError(last);
      try {
        return await attempt<R>(query, variables, Math.min(options.timeoutMs, left));
      } catch (error) {
        if (!(error instanceof RetryableError)) throw error;
        last = error;
        await sleep(Math.min(Math.max(0, deadline - Date.now()), Math.random() * Math.min(1_000, 50 * 2 ** attemptNo)));
      }
    }
  }

  return {
    /** Sells one seat at once (a hold and its confirmation in one call): the saga's call. */
    purchaseSeat: async (input: ReserveSeatInput, deadline?: number) => (await call(PurchaseDocument, { input }, deadline)).purchaseSeat,
    confirmReservation: async (key: string, deadline?: number) => (await call(ConfirmDocument, { input: { key } }, deadline)).confirmReservation,
    /**
     * Gives the seat of `input.key` back; with the key's course and holder, a key not used yet is cancelled
     * before it is used, so a purchase still on its way takes no seat.
     */
    cancelReservation: async (input: CancelReservationInput, deadline?: number) =>
      (await call(CancelDocument, { input }, deadline)).cancelReservation,
    findReservation: async (key: string, deadline?: number) => (await call(FindDocument, { key }, deadline)).reservation,
    seatLedger: async (courseId: string, deadline?: number) => (await call(LedgerDocument, { courseId }, deadline)).seatLedger,
    /** Which of `ids` (at most 2000) are published courses (Course.alsoBought). */
    publishedCourseIds: async (ids: string[], deadline?: number) => (await call(PublishedCourseIdsDocument, { ids }, deadline)).publishedCourseIds,
    close: () => http.close(),
  };
}

export type CourseClient = ReturnType<typeof createCourseClient>;
