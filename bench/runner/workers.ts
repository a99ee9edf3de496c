/**
 * TypeScript files in worker threads of the benchmark's process (the
 * subscriptions benchmark's clients), and request/reply over their message
 * port.
 */
import { Worker } from 'node:worker_threads';
import { withTimeout } from '@coursegraph/devkit/timing';

/** Starts a TypeScript file in a worker thread (tsx's require hook compiles it there too). */
export function startTsWorker(file: string, workerData: unknown): Worker {
  return new Worker(`require('tsx/cjs'); require(${JSON.stringify(file)});`, { eval: true, workerData });
}

export interface WorkerRpc {
  request<T>(message: object, timeoutMs?: number): Promise<T>;
}

/** Request/response over a worker's message port: each request gets the next reply. */
export function workerRpc(worker: Worker): WorkerRpc {
  const waiting: { resolve: (value: unknown) => void; reject: (error: Error) => void }[] = [];
  let failed: Error | null = null;
  const failAll = (error: Error) => {
    failed = error;
    for (const waiter of waiting.splice(0)) waiter.reject(error);
  };
  worker.on('message', (message: { type: string; error?: string }) => {
    const waiter = waiting.shift();
    if (!waiter) return;
    if (message.type === 'error') waiter.reject(new Error(message.error));
    else waiter.resolve(message);
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`worker exited with code ${code}`)));
  return {
    request<T>(message: object, timeoutMs = 120_000): Promise<T> {
      if (failed) return Promise.reject(failed);
      const reply = new Promise<T>((resolve, reject) => waiting.push({ resolve: resolve as (value: unknown) => void, reject }));
      worker.postMessage(message);
      return withTimeout(reply, timeoutMs, `worker did not answer ${JSON.stringify(message).slice(0, 80)} within ${timeoutMs} ms`);
    },
  };
}
