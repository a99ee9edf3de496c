/**
 * A topic: one upstream subscription shared by every client asking the same
 * thing (sharing.ts), and its fan-out: each event is completed and
 * serialised once, and the same text goes to every client (delivery.ts).
 * A client joining a running topic first receives its latest complete event
 * per stream key (the event's `ID!` fields on a versioned stream; the last
 * event otherwise), then any later event of the key whose completion
 * failed, completed again, so it starts from the current state. The upstream subscription closes as soon as the
 * last client of a topic leaves. On a versioned stream a topic delivers each
 * key's versions in strictly increasing order, also across upstream
 * reconnects (versioning.ts).
 *
 * A topic's work (its upstream subscription, each event's completion, its
 * errors) runs as the work of the subscription that opened it, under that
 * subscription's request id; a client that joins later has its own id for
 * its own set-up and errors (server.ts).
 */
import type { GraphQLFormattedError } from 'graphql';
import type { Client } from 'graphql-ws';
import { currentRequestId, INTERNAL_ERROR, runWithRequestId, withRequestId, type Logger } from '@coursegraph/runtime';
import { nextPayload, type NextPayload, type Result, type Subscriber } from './delivery';
import { KEY_ALIAS, VERSION_ALIAS, type Versioning } from './versioning';

/** What a topic sends upstream; `extensions` is read at every (re)subscribe. */
export interface UpstreamPayload {
  query: string;
  variables: Record<string, unknown>;
  operationName?: string;
  readonly extensions: Record<string, unknown>;
}

/** One upstream subscription shared by every client asking the same thing. */
export class Topic {
  private readonly subscribers = new Set<Subscriber>();
  /** The latest event per stream key (one stream when the field is unversioned), for clients joining later. */
  private readonly latest = new Map<string, NextPayload>();
  /**
   * Upstream events whose completion failed (a subgraph down), per stream key,
   * until a later event of that key completes: completed again for each client
   * that joins, so a client that subscribes again after a SERVICE_UNAVAILABLE
   * event gets the current state, not the one before the outage.
   */
  private readonly failed = new Map<string, Result>();
  /** The last version delivered per key, on a versioned stream. */
  private readonly versions = new Map<string, number>();
  private chain: Promise<void> = Promise.resolve();
  private unsubscribe: (() => void) | null = null;
  /** The request id of the subscription that opened the topic (none when made outside any work, as in unit tests). */
  private readonly requestId = currentRequestId();
  ended = false;

  constructor(
    private readonly upstream: Client,
    private readonly payload: UpstreamPayload,
    private readonly versioning: Versioning | null,
    /** Completes an upstream event with the rest of the plan; the result is formatted (masked) already. */
    private readonly complete: (event: Result) => Promise<Result>,
    private readonly mask: (error: GraphQLFormattedError) => GraphQLFormattedError,
    private readonly onEmpty: () => void,
    private readonly log: Logger,
  ) {}

  /** Adds a client: it gets the latest events now, then every later one (each serialised once for all clients). */
  join(subscriber: Subscriber): void {
    for (const payload of this.latest.values()) subscriber.push(payload);
    this.subscribers.add(subscriber);
    subscriber.onEnd(() => this.leave(subscriber));
    if (this.failed.size > 0) this.chain = this.chain.then(() => this.retryFailed(subscriber));
    if (!this.unsubscribe) this.start();
  }

  /**
   * Completes the failed events again for a client that just joined: a success
   * goes to every client (it is newer than what they have), a failure again
   * only to the one that joined. Runs in the delivery chain, so no other
   * event of the topic is delivered meanwhile.
   */
  private async retryFailed(joined: Subscriber): Promise<void> {
    for (const [key, event] of [...this.failed]) {
      // The topic ended, or the client left, while an earlier event was completed again.
      if (this.ended || !this.subscribers.has(joined)) return;
      const payload = nextPayload(await this.completed(event));
      if (this.record(key, event, payload)) for (const subscriber of this.subscribers) subscriber.push(payload);
      else joined.push(payload);
    }
  }

  private start(): void {
    this.unsubscribe = this.upstream.subscribe<Record<string, unknown>, Record<string, unknown>>(this.payload, {
      next: (event) =>
        this.asWork(() => {
          // Checked in arrival order, before completion, so a stale event costs no entity fetch.
          const key = this.streamKey(event);
          if (key === false) return;
          // Events complete in order, one at a time: entity fetches must not reorder them.
          this.chain = this.chain.then(() => this.deliver(event, key));
        }),
      error: (error) =>
        this.asWork(() => {
          this.log.warn('upstream subscription failed', { error: error instanceof Error ? error.message : String(error) });
          const errors = Array.isArray(error)
            ? (error as GraphQLFormattedError[]).map(this.mask)
            : [
                withRequestId({
                  message: 'The subscription service is unavailable; subscribe again.',
                  extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true },
                }),
              ];
          this.chain = this.chain.then(() => this.finish({ errors }));
        }),
      complete: () => {
        this.chain = this.chain.then(() => this.finish(null));
      },
    });
  }

  /** Runs `work` (and what it chains) as the topic's work, under its request id. */
  private asWork(work: () => void): void {
    if (this.requestId === undefined) work();
    else runWithRequestId(this.requestId, work);
  }

  /**
   * The key of a versioned event (false when its version is not above the last
   * one delivered for that key), or null for an event without a version.
   */
  private streamKey(event: Result): string | null | false {
    if (!this.versioning) return null;
    const root = event.data?.[this.versioning.field] as Record<string, unknown> | null | undefined;
    const version = root?.[VERSION_ALIAS];
    if (typeof version !== 'number') return null;
    const key = JSON.stringify(Array.from({ length: this.versioning.keyCount }, (_v, index) => root![`${KEY_ALIAS}${index}`]));
    if (version <= (this.versions.get(key) ?? -Infinity)) return false;
    this.versions.set(key, version);
    return key;
  }

  private async deliver(event: Result, key: string | null): Promise<void> {
    if (this.ended) return;
    const payload = nextPayload(await this.completed(event));
    this.record(key ?? '', event, payload);
    for (const subscriber of this.subscribers) subscriber.push(payload);
  }

  /** The client's result for an upstream event, formatted. */
  private async completed(event: Result): Promise<Result> {
    if (!event.data) return { errors: (event.errors ?? []).map(this.mask) };
    try {
      return await this.complete(event);
    } catch (error) {
      this.log.error('completing a subscription event failed', { error });
      return { errors: [withRequestId(INTERNAL_ERROR)] };
    }
  }

  /**
   * Keeps a complete result as its key's latest event. A result with errors
   * never is: a client joining later gets the last complete one, then the
   * upstream event completed again (`failed`) if the upstream sent one.
   * Returns whether the result was complete.
   */
  private record(key: string, event: Result, payload: NextPayload): boolean {
    if (payload.result.data && !payload.result.errors?.length) {
      this.latest.set(key, payload);
      this.failed.delete(key);
      return true;
    }
    if (event.data) this.failed.set(key, event);
    return false;
  }

  private finish(last: Result | null): void {
    if (this.ended) return;
    this.ended = true;
    this.onEmpty();
    const payload = last && nextPayload(last);
    for (const subscriber of [...this.subscribers]) {
      if (payload) subscriber.push(payload);
      subscriber.end();
    }
  }

  private leave(subscriber: Subscriber): void {
    this.subscribers.delete(subscriber);
    if (this.subscribers.size > 0 || this.ended) return;
    this.ended = true;
    this.unsubscribe?.();
    this.onEmpty();
  }
}
