/**
 * Writing a topic's events to each client subscription. Left to graphql-ws,
 * every `next` message is serialised again for every subscriber
 * (`{ id, type, payload }`) and passes several promises per subscriber; with
 * 1,000 subscribers of one topic, a CPU profile of the gateway had about half
 * its samples in the socket writes and about a quarter in that per-subscriber
 * path, its promises and its garbage (bench/README.md, "What the
 * measurements changed"). Here each event's payload is serialised once per topic
 * (`nextPayload`), and each subscription writes
 * `{"id":<its id>,"type":"next","payload":<that text>}` straight to its
 * socket: byte for byte the message graphql-ws would send, the id escaped by
 * JSON.stringify as graphql-ws escapes it.
 *
 * graphql-ws keeps the rest of the protocol: the subscribe and its refusals
 * (`error`), the client's `complete`, and the server's `complete`, which it
 * sends once the iterator it was handed ends. That iterator
 * (`Delivery.iterator`) yields nothing and ends only after every frame
 * pushed before the end has been written, so `complete` follows the last
 * `next`. Frames start once graphql-ws iterates (it has registered the
 * operation), and stop as soon as it returns the iterator (the client
 * completed, the socket closed). As graphql-ws does, one frame per
 * subscription is written at a time, the next once the socket has taken it;
 * a subscription that falls MAX_BACKLOG events behind gets
 * SUBSCRIPTION_OVERFLOW, then the end.
 */
import WebSocket from 'ws';
import type { FormattedExecutionResult } from 'graphql';
import { withRequestId } from '@coursegraph/runtime';

/** Events a client may fall behind by before its subscription is ended. */
export const MAX_BACKLOG = 1_000;

/** A client's result: an event completed and masked, or the errors that end its subscription. */
export type Result = FormattedExecutionResult;

/** A `next` message's payload: a result, formatted (masked) already, and its JSON text, made once for every subscriber. */
export interface NextPayload {
  result: Result;
  json: string;
}

export const nextPayload = (result: Result): NextPayload => ({ result, json: JSON.stringify(result) });

/** What a topic delivers its events to (topic.ts). */
export interface Subscriber {
  push(payload: NextPayload): void;
  /** Ends once what was pushed before has been written. */
  end(): void;
  /** `leave` runs once, as soon as the subscriber ends, however it ends. */
  onEnd(leave: () => void): void;
}

const DONE: IteratorReturnResult<undefined> = { value: undefined, done: true };

/** One client subscription's frames, written to its socket as described above. */
export class Delivery implements Subscriber {
  /** Pushed and not written yet; the frame being written is not in it. */
  private readonly queue: NextPayload[] = [];
  /** `{"id":…,"type":"next","payload":`: the frame up to the payload. */
  private readonly prefix: string;
  /** Made now, so it carries this client's request id. */
  private readonly overflowed = nextPayload({
    errors: [withRequestId({ message: 'This subscription fell too far behind and was ended.', extensions: { code: 'SUBSCRIPTION_OVERFLOW' } })],
  });
  private started = false;
  private writing = false;
  /** Takes no more events: ended by the topic, by an overflow or by graphql-ws. */
  private ending = false;
  /** Writes nothing more; the iterator is done. */
  private closed = false;
  private leave: (() => void) | null = null;
  private wake: ((result: IteratorReturnResult<undefined>) => void) | null = null;

  /** `id` is the client's subscription id, any non-empty string graphql-ws accepted. */
  constructor(
    private readonly socket: WebSocket,
    id: string,
  ) {
    this.prefix = `{"id":${JSON.stringify(id)},"type":"next","payload":`;
  }

  /** What graphql-ws iterates: it yields nothing and is done once the last frame is written, or at once on return(). */
  readonly iterator: AsyncIterableIterator<never> = {
    next: () => {
      if (this.closed) return Promise.resolve(DONE);
      this.started = true;
      const done = new Promise<IteratorReturnResult<undefined>>((resolve) => {
        this.wake = resolve;
      });
      this.flush();
      return done;
    },
    return: () => {
      this.stop();
      return Promise.resolve(DONE);
    },
    throw: (error: unknown) => {
      this.stop();
      return Promise.reject(error);
    },
    [Symbol.asyncIterator]: () => this.iterator,
  };

  onEnd(leave: () => void): void {
    this.leave = leave;
    if (this.ending) this.left();
  }

  push(payload: NextPayload): void {
    if (this.ending) return;
    if (this.queue.length < MAX_BACKLOG) this.queue.push(payload);
    else {
      this.queue.push(this.overflowed);
      this.ending = true;
      this.left();
    }
    this.flush();
  }

  end(): void {
    if (this.ending) return;
    this.ending = true;
    this.left();
    this.flush();
  }

  /** Writes the next frame if none is being written; closes once the queue has drained after the end. */
  private flush(): void {
    if (!this.started || this.writing || this.closed) return;
    const payload = this.queue.shift();
    if (payload === undefined) {
      if (this.ending) this.close();
      return;
    }
    // Closing: graphql-ws returns the iterator once the socket has closed; nothing more can reach the client.
    if (this.socket.readyState !== WebSocket.OPEN) return this.stop();
    this.writing = true;
    this.socket.send(this.prefix + payload.json + '}', this.written);
  }

  private readonly written = (error?: Error | null): void => {
    this.writing = false;
    // The socket failed; it closes, and graphql-ws with it.
    if (error) return this.stop();
    this.flush();
  };

  /** Ends at once, dropping what was not written. */
  private stop(): void {
    this.queue.length = 0;
    this.ending = true;
    this.left();
    this.close();
  }

  private close(): void {
    this.closed = true;
    this.wake?.(DONE);
    this.wake = null;
  }

  private left(): void {
    const leave = this.leave;
    this.leave = null;
    leave?.();
  }
}
