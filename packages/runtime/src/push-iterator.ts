/**
 * An async iterator fed by `push`, for subscriptions. Unlike an async
 * generator, `return()` takes effect at once, even while the consumer is
 * waiting for the next value, so an unsubscribe releases what the
 * subscription holds immediately. The backlog is bounded: a consumer that
 * falls `maxBacklog` values behind gets `overflow` (if given) and then the end.
 */
export interface PushIterator<T> {
  iterator: AsyncIterableIterator<T>;
  push(value: T): void;
  /** Ends after the values already pushed have been taken. */
  end(): void;
}

export function pushIterator<T>(options: { maxBacklog: number; onEnd: () => void; overflow?: () => T }): PushIterator<T> {
  const queue: T[] = [];
  let waiting: ((result: IteratorResult<T>) => void) | null = null;
  let done = false;

  const end = () => {
    if (done) return;
    done = true;
    options.onEnd();
    waiting?.({ value: undefined, done: true });
    waiting = null;
  };
  const push = (value: T) => {
    if (done) return;
    if (waiting) {
      const resolve = waiting;
      waiting = null;
      resolve({ value, done: false });
    } else if (queue.length < options.maxBacklog) {
      queue.push(value);
    } else {
      if (options.overflow) queue.push(options.overflow());
      end();
    }
  };
  const iterator: AsyncIterableIterator<T> = {
    next: () => {
      if (queue.length > 0) return Promise.resolve({ value: queue.shift()!, done: false });
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => {
        waiting = resolve;
      });
    },
    return: () => {
      queue.length = 0;
      end();
      return Promise.resolve({ value: undefined, done: true });
    },
    throw: (error: unknown) => {
      queue.length = 0;
      end();
      return Promise.reject(error);
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return { iterator, push, end };
}
