/**
 * The order of one connection's graphql-ws messages per subscription id
 * (`serveWebSockets`, websocket.ts): graphql-ws would otherwise let an
 * operation still being set up take over a newer one with the same id.
 */
import { MessageType } from 'graphql-ws';

/**
 * Keeps each subscription id's operations in order on one connection.
 * graphql-ws handles messages concurrently and keeps one operation per id:
 * after `subscribe a, complete a, subscribe a`, the first operation, still
 * being set up, finds the second's entry and takes it over, so one of the two
 * is never ended and graphql-ws ends the wrong one. So a subscribe reusing the
 * id of an operation the client has completed is handed to graphql-ws only
 * once that operation has finished, and every later message with that id
 * queues behind it. A subscribe reusing the id of an operation that still
 * runs goes through at once, for graphql-ws to refuse (4409).
 */
export class OperationOrder {
  /** Subscribe operations graphql-ws is running, by id, until their handling settles. */
  private readonly running = new Map<string, { settled: Promise<void>; completed: boolean }>();
  /** Per id, the tail of the messages held back. */
  private readonly held = new Map<string, Promise<void>>();

  constructor(
    private readonly handle: (text: string) => Promise<void>,
    /** A fault in handling a message; `operation` is the subscribe it was, with whether the client had completed it. */
    private readonly fault: (error: unknown, operation: { id: string; completed: boolean } | null) => void,
  ) {}

  /** Hands a client message to graphql-ws now, or once the earlier operation with its id has finished. */
  receive(text: string, type: string, id: string | undefined): void {
    if (id === undefined) return this.dispatch(text, type, id);
    const held = this.held.get(id);
    if (!held && !(type === MessageType.Subscribe && this.running.get(id)?.completed)) return this.dispatch(text, type, id);
    const tail = (held ?? Promise.resolve()).then(async () => {
      // Looked up when its turn comes, not on arrival: the operation whose id a subscribe reuses may be one a
      // held message dispatched meanwhile (subscribe, complete, subscribe, complete, subscribe).
      const earlier = type === MessageType.Subscribe ? this.running.get(id) : undefined;
      if (earlier?.completed) await earlier.settled;
      this.dispatch(text, type, id);
    });
    this.held.set(id, tail);
    void tail.then(() => {
      if (this.held.get(id) === tail) this.held.delete(id);
    });
  }

  private dispatch(text: string, type: string, id: string | undefined): void {
    if (type === MessageType.Subscribe && id !== undefined) {
      // graphql-ws registers the id before its first await, so a message dispatched after this one finds the operation.
      const operation = { id, completed: false, settled: Promise.resolve() };
      operation.settled = this.handle(text).catch((error: unknown) => this.fault(error, operation));
      this.running.set(id, operation);
      void operation.settled.then(() => {
        if (this.running.get(id) === operation) this.running.delete(id);
      });
      return;
    }
    if (type === MessageType.Complete && id !== undefined) {
      const operation = this.running.get(id);
      if (operation) operation.completed = true;
    }
    this.handle(text).catch((error: unknown) => this.fault(error, null));
  }
}
