/**
 * The messages between the subscriptions benchmark and its two worker
 * threads (subscribers, driver): each request gets one reply, in order.
 * Times are ms; latencies are a receive time (Date.now()) minus the event's
 * changedAt.
 */
import type { Reading } from '../../runner/meter';
import type { CpuProfile } from '../../runner/profile';

/** What each worker thread is started with. */
export type WorkerData = { role: 'subscribers' } | { role: 'driver'; databaseUrl: string; channel: string };

export interface OpenRequest {
  type: 'open';
  /** Websocket `i` connects to `urls[i % urls.length]` (several gateway processes). */
  urls: string[];
  query: string;
  /** The subscribe messages' extensions (a subgraph's: the gateway's assertion of the caller). */
  extensions?: Record<string, string>;
  courseId: string;
  subscribers: number;
  connections: number;
  /** Events after CURRENT a phase can make (1 per order, PURCHASED; 2 per order leaves room): sizes the bookkeeping. */
  capacityEvents: number;
  openConcurrency: number;
  timeoutMs: number;
}

export interface Opened {
  type: 'opened';
  /** The version of the CURRENT event (the same for every subscriber). */
  v0: number;
  openMs: number;
  firstEventMs: number;
}

export interface DrainRequest {
  type: 'drain';
  /** Distinct events each subscriber must receive: final seats_version - v0. */
  expected: number;
  timeoutMs: number;
}

/** What the subscribers saw of the events after CURRENT. */
export interface Tallied {
  received: number;
  lost: number;
  subscribersWithLoss: number;
  outOfOrder: number;
  duplicates: number;
  unexpected: number;
  errors: number;
  errorSample: string | null;
  completedEarly: number;
  /** Every delivered event's latency (receive time - changedAt), ms. */
  latencies: Float64Array;
  /** Per event (version - v0), the first and last subscriber's latency. */
  firstDelivery: Float64Array;
  lastDelivery: Float64Array;
}

export interface SubscriberReport extends Tallied {
  type: 'report';
  drained: boolean;
  /** ms from the drain request until every subscriber had every event (or the timeout). */
  drainMs: number;
  expectedPerSubscriber: number;
  /** The client thread's load; its event-loop delay bounds how late receive timestamps can be. */
  load: Reading;
  profile: CpuProfile | null;
}

export interface OrdersRequest {
  type: 'orders';
  url: string;
  mutation: string;
  courseId: string;
  price: { amount: number; currency: string };
  /** One access token per order, each of a different student. */
  tokens: string[];
  rate: number;
  concurrency: number;
}

export interface OrdersReport {
  type: 'orders-report';
  placed: number;
  confirmed: number;
  failed: number;
  failureSample: string | null;
  seconds: number;
  latencies: Float64Array;
}

export interface ProbeReport {
  type: 'probe-report';
  latencies: Float64Array;
}

export type Request =
  | OpenRequest
  | DrainRequest
  | { type: 'measure'; profile: boolean }
  | { type: 'close' }
  | OrdersRequest
  | { type: 'watch'; courseId: string }
  | { type: 'probe-report' }
  | { type: 'stop' };

export interface SeatsEvent {
  courseId: string;
  seatsAvailable: number;
  version: number;
  reason: string;
  changedAt: string;
}
