/**
 * The subscriptions one client connection holds. Each connection keeps its
 * own record of them (`Session`), which ends every one of them and counts
 * them against the per-connection cap.
 */
import type WebSocket from 'ws';
import type { GatewayContext } from '../auth';
import { Delivery } from './delivery';

/** One subscription the gateway accepted on a connection, from `onSubscribe` until it ends. */
export interface Operation {
  id: string;
  /** The subscribe message's payload: graphql-ws hands this same object to every hook of the operation. */
  payload: object;
  /** The connection's socket, which its events are written to (delivery.ts). */
  socket: WebSocket;
  /** True while graphql-ws still holds the operation, false once the client completed it. */
  wanted: () => boolean;
  /** What the gateway handed graphql-ws for it, once set up. */
  iterator: AsyncIterableIterator<never> | null;
  /** Set once, when it is ended by any path; an ended subscription opens nothing more. */
  ended: boolean;
}

/** An iterator that has ended, for a subscription ended before it was set up. */
async function* nothing(): AsyncGenerator<never> {}

/**
 * One client connection: its context and every subscription accepted on it.
 * The gateway keeps this record itself rather than trusting graphql-ws's per-id
 * one (`ctx.subscriptions`), where a subscription still being set up can take
 * over the entry of a newer one with the same id. Every iterator handed out is
 * ended when its subscription finishes, when a subscribe reuses its id, or when
 * the socket closes; the per-connection cap counts what is open here.
 */
export class Session {
  private readonly operations = new Map<string, Operation>();
  private closed = false;

  constructor(
    readonly context: GatewayContext,
    private readonly socket: WebSocket,
  ) {}

  /** Subscriptions open now, being set up included. */
  get size(): number {
    return this.operations.size;
  }

  /**
   * Ends the subscription that had this id, if any, for a new subscribe with
   * it: graphql-ws accepts a reused id only once the client completed it.
   */
  replace(id: string): void {
    this.end(this.operations.get(id));
  }

  /** Records a subscription accepted now (ended at once if the socket has closed). */
  open(id: string, payload: object, wanted: () => boolean): Operation {
    const operation: Operation = { id, payload, socket: this.socket, wanted, iterator: null, ended: this.closed };
    if (!this.closed) this.operations.set(id, operation);
    return operation;
  }

  /** Ends the subscription of the subscribe message with this id and payload, if it is still open. */
  finish(id: string, payload: object): void {
    const operation = this.operations.get(id);
    if (operation?.payload === payload) this.end(operation);
  }

  /** The socket closed: ends every subscription, and any accepted later. */
  close(): void {
    this.closed = true;
    for (const operation of [...this.operations.values()]) this.end(operation);
  }

  private end(operation: Operation | undefined): void {
    if (!operation || operation.ended) return;
    operation.ended = true;
    if (this.operations.get(operation.id) === operation) this.operations.delete(operation.id);
    void operation.iterator?.return?.();
  }
}

/**
 * Sets up an accepted subscription: joins its delivery to its topic (`join`);
 * the iterator for graphql-ws ends when the delivery does.
 */
export function setUp(operation: Operation, join: (delivery: Delivery) => void): AsyncIterableIterator<never> {
  // Completed by the client or closed with its socket while it was set up: nothing to open upstream.
  if (operation.ended || !operation.wanted()) return nothing();
  const delivery = new Delivery(operation.socket, operation.id);
  join(delivery);
  operation.iterator = delivery.iterator;
  return delivery.iterator;
}
