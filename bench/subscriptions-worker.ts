/**
 * The client side of bench/subscriptions.ts, in worker threads of the
 * benchmark's process, so that receiving N websockets' worth of messages and
 * placing orders do not share an event loop (and, with --in-process, do not
 * run on the servers' thread).
 *
 * Role `subscribers`: opens the graphql-ws connections and subscriptions,
 * timestamps every message on arrival and checks versions per subscriber.
 * Role `driver`: places the orders through the gateway at the requested rate,
 * and keeps one plain PostgreSQL LISTEN on the seat channel: the floor any
 * subscriber can reach (commit + NOTIFY delivery, none of our code).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';
import { Client as PgClient } from 'pg';
import { Meter, type Reading } from './runner/meter';
import type { CpuProfile } from './runner/profile';

export interface OpenRequest {
  type: 'open';
  url: string;
  query: string;
  /** The subscribe messages' extensions (a subgraph's: the gateway's assertion of the caller). */
  extensions?: Record<string, string>;
  courseId: string;
  subscribers: number;
  connections: number;
  /** Events expected after CURRENT if every order succeeds (2 per order): sizes the bookkeeping. */
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

export interface SubscriberReport {
  type: 'report';
  drained: boolean;
  /** ms from the drain request until every subscriber had every event (or the timeout). */
  drainMs: number;
  expectedPerSubscriber: number;
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

type Request =
  | OpenRequest
  | DrainRequest
  | { type: 'measure'; profile: boolean }
  | { type: 'close' }
  | OrdersRequest
  | { type: 'watch'; courseId: string }
  | { type: 'probe-report' }
  | { type: 'stop' };

interface SeatsEvent {
  courseId: string;
  seatsAvailable: number;
  version: number;
  reason: string;
  changedAt: string;
}

const port = parentPort!;
const role = (workerData as { role: 'subscribers' | 'driver' }).role;
const reply = (message: object, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
const fail = (error: unknown) => reply({ type: 'error', error: error instanceof Error ? error.stack ?? error.message : String(error) });

// ------------------------------------------------------------------ subscribers

class Subscribers {
  private clients: Client[] = [];
  private closed: Promise<void>[] = [];
  private unsubscribes: (() => void)[] = [];
  private width = 0;
  private v0 = new Int32Array(0);
  private maxVersion = new Int32Array(0);
  private distinct = new Int32Array(0);
  private seen = new Uint8Array(0);
  private outOfOrder = 0;
  private duplicates = 0;
  private unexpected = 0;
  private errors = 0;
  private completedEarly = 0;
  private errorSample: string | null = null;
  private currents = 0;
  private latencies = new Float64Array(0);
  private latencyCount = 0;
  private firstDelivery = new Float64Array(0);
  private lastDelivery = new Float64Array(0);
  private onCurrent: (() => void) | null = null;
  private readonly meter = new Meter(false);

  async open(request: OpenRequest): Promise<Opened> {
    const { subscribers: n, connections, capacityEvents } = request;
    this.width = capacityEvents + 1;
    this.v0 = new Int32Array(n).fill(-1);
    this.maxVersion = new Int32Array(n).fill(-1);
    this.distinct = new Int32Array(n);
    this.seen = new Uint8Array(n * this.width);
    this.latencies = new Float64Array(n * capacityEvents);
    this.latencyCount = 0;
    this.firstDelivery = new Float64Array(this.width).fill(Infinity);
    this.lastDelivery = new Float64Array(this.width).fill(-Infinity);
    this.outOfOrder = this.duplicates = this.unexpected = this.errors = this.completedEarly = this.currents = 0;
    this.errorSample = null;

    const started = performance.now();
    const allCurrent = new Promise<void>((resolve) => {
      this.onCurrent = () => {
        if (this.currents === n) resolve();
      };
    });
    const variables = { courseIds: [request.courseId] };
    let next = 0;
    const openOne = async (connection: number) => {
      const client = createClient({ url: request.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, lazy: true, retryAttempts: 0 });
      this.clients.push(client);
      this.closed.push(new Promise((resolve) => client.on('closed', () => resolve())));
      const connected = new Promise<void>((resolve, reject) => {
        client.on('connected', () => resolve());
        client.on('closed', (event) => reject(new Error(`connection ${connection} closed while opening: ${JSON.stringify(event)}`)));
      });
      for (let index = connection; index < n; index += connections) {
        this.unsubscribes.push(
          client.subscribe<{ seatsChanged: SeatsEvent }>({ query: request.query, variables, extensions: request.extensions }, {
            next: (result) => this.receive(index, result.data?.seatsChanged, result.errors),
            error: (error) => this.error(error),
            complete: () => this.completedEarly++,
          }),
        );
      }
      await connected;
    };
    const opener = async () => {
      while (next < connections) await openOne(next++);
    };
    await Promise.all(Array.from({ length: Math.min(request.openConcurrency, connections) }, opener));
    const openMs = performance.now() - started;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      allCurrent,
      new Promise((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`only ${this.currents} of ${n} subscribers got their CURRENT event; errors: ${this.errors} ${this.errorSample ?? ''}`)), request.timeoutMs);
      }),
    ]).finally(() => clearTimeout(timer));
    const v0 = this.v0[0]!;
    if (!this.v0.every((version) => version === v0)) throw new Error('subscribers started from different versions');
    return { type: 'opened', v0, openMs, firstEventMs: performance.now() - started };
  }

  private error(error: unknown): void {
    this.errors++;
    this.errorSample ??= error instanceof Error ? error.message : JSON.stringify(error).slice(0, 500);
  }

  private receive(index: number, event: SeatsEvent | undefined, errors: unknown): void {
    const now = Date.now();
    if (!event) return this.error(errors);
    if (event.reason === 'CURRENT') {
      if (this.v0[index] !== -1) {
        this.unexpected++;
        return;
      }
      this.v0[index] = event.version;
      this.maxVersion[index] = event.version;
      this.currents++;
      this.onCurrent?.();
      return;
    }
    const k = event.version - this.v0[index]!;
    if (this.v0[index] === -1 || k < 1 || k >= this.width) {
      this.unexpected++;
      return;
    }
    const slot = index * this.width + k;
    if (this.seen[slot]) {
      this.duplicates++;
      return;
    }
    this.seen[slot] = 1;
    if (event.version < this.maxVersion[index]!) this.outOfOrder++;
    else this.maxVersion[index] = event.version;
    this.distinct[index]!++;
    const latency = now - Date.parse(event.changedAt);
    this.latencies[this.latencyCount++] = latency;
    if (latency < this.firstDelivery[k]!) this.firstDelivery[k] = latency;
    if (latency > this.lastDelivery[k]!) this.lastDelivery[k] = latency;
  }

  measure(profile: boolean): Promise<void> {
    return this.meter.start(profile);
  }

  async drain({ expected, timeoutMs }: DrainRequest): Promise<SubscriberReport> {
    const started = performance.now();
    const done = () => this.distinct.every((count) => count >= expected);
    while (!done() && performance.now() - started < timeoutMs) await new Promise((resolve) => setTimeout(resolve, 10));
    const drained = done();
    const drainMs = performance.now() - started;
    const { reading: load, profile } = await this.meter.stop();
    let lost = 0;
    let subscribersWithLoss = 0;
    for (const count of this.distinct) {
      if (count < expected) {
        lost += expected - count;
        subscribersWithLoss++;
      }
    }
    const used = this.firstDelivery.slice(1, expected + 1);
    const latencies = this.latencies.slice(0, this.latencyCount);
    return {
      type: 'report',
      drained,
      drainMs,
      expectedPerSubscriber: expected,
      received: this.latencyCount,
      lost,
      subscribersWithLoss,
      outOfOrder: this.outOfOrder,
      duplicates: this.duplicates,
      unexpected: this.unexpected,
      errors: this.errors,
      errorSample: this.errorSample,
      completedEarly: this.completedEarly,
      latencies,
      firstDelivery: used.filter(Number.isFinite),
      lastDelivery: this.lastDelivery.slice(1, expected + 1).filter(Number.isFinite),
      load,
      profile,
    };
  }

  /** Closes every connection and waits until each socket has closed. */
  async close(): Promise<void> {
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
    const clients = this.clients.splice(0);
    const closed = this.closed.splice(0);
    await Promise.all(clients.map((client) => client.dispose()));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      Promise.all(closed).then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), 10_000);
      }),
    ]);
    clearTimeout(timer);
    if (timedOut) for (const client of clients) client.terminate();
  }
}

// ------------------------------------------------------------------ probe

class Probe {
  private client: PgClient | null = null;
  private courseId = '';
  private latencies: number[] = [];

  async start(databaseUrl: string, channel: string): Promise<void> {
    this.client = new PgClient({ connectionString: databaseUrl, application_name: 'coursegraph-bench-probe' });
    this.client.on('notification', (message) => {
      const now = Date.now();
      if (!message.payload) return;
      const event = JSON.parse(message.payload) as { courseId: string; changedAt: string };
      // Truncated to the millisecond, as the subgraph sends it.
      if (event.courseId === this.courseId) this.latencies.push(now - Date.parse(new Date(event.changedAt).toISOString()));
    });
    this.client.on('error', () => undefined);
    await this.client.connect();
    await this.client.query(`LISTEN ${channel}`);
  }

  watch(courseId: string): void {
    this.courseId = courseId;
    this.latencies = [];
  }

  report(): ProbeReport {
    return { type: 'probe-report', latencies: Float64Array.from(this.latencies) };
  }

  async stop(): Promise<void> {
    await this.client?.end().catch(() => undefined);
    this.client = null;
  }
}

// ------------------------------------------------------------------ orders

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Starts one order every 1/rate s (open loop), with at most `concurrency` in flight; each by its own student. */
async function placeOrders(request: OrdersRequest): Promise<OrdersReport> {
  const { url, mutation, courseId, price, tokens, rate, concurrency } = request;
  const started = performance.now();
  const latencies = new Float64Array(tokens.length);
  let confirmed = 0;
  let failureSample: string | null = null;
  let inFlight = 0;
  const slotFreed: (() => void)[] = [];
  const running: Promise<void>[] = [];
  for (let index = 0; index < tokens.length; index++) {
    const wait = started + (index * 1000) / rate - performance.now();
    if (wait > 0) await sleep(wait);
    while (inFlight >= concurrency) await new Promise<void>((resolve) => slotFreed.push(resolve));
    inFlight++;
    const sent = performance.now();
    const body = JSON.stringify({ query: mutation, variables: { input: { courseId, expectedPrice: price, idempotencyKey: `bench-${randomUUID()}` } } });
    running.push(
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[index]}` }, body })
        .then(async (response) => {
          const text = await response.text();
          const payload = (JSON.parse(text) as { data?: { placeOrder?: { order: { status: string } | null; userErrors: unknown[] } } }).data?.placeOrder;
          if (payload?.order?.status === 'CONFIRMED' && payload.userErrors.length === 0) confirmed++;
          else failureSample ??= `${response.status} ${text.slice(0, 500)}`;
        })
        .catch((error: unknown) => {
          failureSample ??= String(error);
        })
        .finally(() => {
          latencies[index] = performance.now() - sent;
          inFlight--;
          slotFreed.shift()?.();
        }),
    );
  }
  await Promise.all(running);
  const seconds = (performance.now() - started) / 1000;
  return { type: 'orders-report', placed: tokens.length, confirmed, failed: tokens.length - confirmed, failureSample, seconds, latencies };
}

// ------------------------------------------------------------------ dispatch

async function main(): Promise<void> {
  const subscribers = new Subscribers();
  const probe = new Probe();
  if (role === 'driver') {
    const { databaseUrl, channel } = workerData as { databaseUrl: string; channel: string };
    await probe.start(databaseUrl, channel);
  }
  reply({ type: 'ready' });
  // One request at a time, in order.
  let queue = Promise.resolve();
  port.on('message', (request: Request) => {
    queue = queue.then(async () => {
      try {
        switch (request.type) {
          case 'open':
            return reply(await subscribers.open(request));
          case 'measure':
            await subscribers.measure(request.profile);
            return reply({ type: 'measuring' });
          case 'drain': {
            const report = await subscribers.drain(request);
            return reply(report, [report.latencies.buffer, report.firstDelivery.buffer, report.lastDelivery.buffer] as ArrayBuffer[]);
          }
          case 'close':
            await subscribers.close();
            return reply({ type: 'closed' });
          case 'orders': {
            const report = await placeOrders(request);
            return reply(report, [report.latencies.buffer as ArrayBuffer]);
          }
          case 'watch':
            probe.watch(request.courseId);
            return reply({ type: 'watching' });
          case 'probe-report': {
            const report = probe.report();
            return reply(report, [report.latencies.buffer as ArrayBuffer]);
          }
          case 'stop':
            await subscribers.close();
            await probe.stop();
            reply({ type: 'stopped' });
            port.close();
            return;
        }
      } catch (error) {
        fail(error);
      }
    });
  });
}

main().catch((error) => {
  fail(error);
  process.exitCode = 1;
});
