/**
 * The subscribers' worker thread: N graphql-ws subscriptions over K
 * websockets (opened at most `openConcurrency` at a time), every message
 * timestamped on arrival and tallied (tally.ts); the thread's own load is
 * metered from `measure` to the end of `drain`.
 */
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';
import { Meter } from '../../runner/meter';
import type { DrainRequest, OpenRequest, Opened, SeatsEvent, SubscriberReport } from './messages';
import { Tally } from './tally';

export class Subscribers {
  private clients: Client[] = [];
  private closed: Promise<void>[] = [];
  private unsubscribes: (() => void)[] = [];
  private tally = new Tally(0, 0);
  private onCurrent: (() => void) | null = null;
  private readonly meter = new Meter(false);

  /** Opens every connection and subscription; resolves once each subscriber has its CURRENT event. */
  async open(request: OpenRequest): Promise<Opened> {
    const { subscribers: n, connections } = request;
    const tally = (this.tally = new Tally(n, request.capacityEvents));
    const started = performance.now();
    const allCurrent = new Promise<void>((resolve) => {
      this.onCurrent = () => {
        if (tally.currents === n) resolve();
      };
    });
    let next = 0;
    const opener = async () => {
      while (next < connections) await this.openConnection(request, next++);
    };
    await Promise.all(Array.from({ length: Math.min(request.openConcurrency, connections) }, opener));
    const openMs = performance.now() - started;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      allCurrent,
      new Promise((_resolve, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new Error(`only ${tally.currents} of ${n} subscribers got their CURRENT event; errors: ${tally.errors} ${tally.errorSample ?? ''}`),
            ),
          request.timeoutMs,
        );
      }),
    ]).finally(() => clearTimeout(timer));
    return { type: 'opened', v0: tally.startVersion(), openMs, firstEventMs: performance.now() - started };
  }

  /** Connection `connection` and its subscribers (every K-th from `connection`); resolves once it is connected. */
  private async openConnection(request: OpenRequest, connection: number): Promise<void> {
    const url = request.urls[connection % request.urls.length]!;
    const client = createClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, lazy: true, retryAttempts: 0 });
    this.clients.push(client);
    this.closed.push(new Promise((resolve) => client.on('closed', () => resolve())));
    const connected = new Promise<void>((resolve, reject) => {
      client.on('connected', () => resolve());
      client.on('closed', (event) => reject(new Error(`connection ${connection} closed while opening: ${JSON.stringify(event)}`)));
    });
    const payload = { query: request.query, variables: { courseIds: [request.courseId] }, extensions: request.extensions };
    for (let index = connection; index < request.subscribers; index += request.connections) {
      this.unsubscribes.push(
        client.subscribe<{ seatsChanged: SeatsEvent }>(payload, {
          next: (result) => this.receive(index, result.data?.seatsChanged, result.errors),
          error: (error) => this.tally.error(error),
          complete: () => this.tally.completedEarly++,
        }),
      );
    }
    await connected;
  }

  private receive(index: number, event: SeatsEvent | undefined, errors: unknown): void {
    const now = Date.now();
    if (!event) return this.tally.error(errors);
    if (this.tally.receive(index, event, now)) this.onCurrent?.();
  }

  measure(profile: boolean): Promise<void> {
    return this.meter.start(profile);
  }

  /** Waits (at most `timeoutMs`) until every subscriber has `expected` events; the tally and the thread's load. */
  async drain({ expected, timeoutMs }: DrainRequest): Promise<SubscriberReport> {
    const started = performance.now();
    while (!this.tally.complete(expected) && performance.now() - started < timeoutMs) await new Promise((resolve) => setTimeout(resolve, 10));
    const drained = this.tally.complete(expected);
    const drainMs = performance.now() - started;
    const { reading: load, profile } = await this.meter.stop();
    return { type: 'report', drained, drainMs, expectedPerSubscriber: expected, ...this.tally.report(expected), load, profile };
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
