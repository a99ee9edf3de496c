/** A graphql-ws client for tests: subscribe through the gateway and collect what arrives. */
import { print } from 'graphql';
import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { FormattedExecutionResult } from 'graphql';

export interface Collector<T> {
  results: FormattedExecutionResult<T>[];
  /** Resolves once `count` results have arrived in all, or rejects after `timeoutMs`. */
  until(count: number, timeoutMs?: number): Promise<FormattedExecutionResult<T>[]>;
  completed: Promise<void>;
  unsubscribe(): void;
}

export const wsUrl = (httpUrl: string) => httpUrl.replace(/^http/, 'ws');

export function connect(httpUrl: string, connectionParams?: Record<string, unknown>): Client {
  return createClient({ url: wsUrl(httpUrl), webSocketImpl: WebSocket, connectionParams, retryAttempts: 0, lazy: true });
}

export function collect<T, V>(client: Client, document: TypedDocumentNode<T, V> | string, variables: V): Collector<T> {
  const results: FormattedExecutionResult<T>[] = [];
  const waiters: (() => void)[] = [];
  let complete!: () => void;
  let fail!: (error: unknown) => void;
  const completed = new Promise<void>((resolve, reject) => {
    complete = resolve;
    fail = reject;
  });
  completed.catch(() => undefined);
  const unsubscribe = client.subscribe<T>(
    { query: typeof document === 'string' ? document : print(document), variables: variables as Record<string, unknown> },
    {
      next: (result) => {
        results.push(result as FormattedExecutionResult<T>);
        waiters.splice(0).forEach((wake) => wake());
      },
      error: (error) => {
        fail(error);
        waiters.splice(0).forEach((wake) => wake());
      },
      complete: () => {
        complete();
        waiters.splice(0).forEach((wake) => wake());
      },
    },
  );
  return {
    results,
    completed,
    unsubscribe,
    async until(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (results.length < count) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`expected ${count} results, got ${results.length}: ${JSON.stringify(results).slice(0, 2000)}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return results.slice(0, count);
    },
  };
}
