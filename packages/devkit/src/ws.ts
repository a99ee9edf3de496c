/** A graphql-ws client for tests: subscribe through the gateway and collect what arrives. */
import { print, type FormattedExecutionResult } from 'graphql';
import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';

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

/** What a raw socket saw: every message the server sent, and how the server closed it (null if it did not). */
export interface RawRecord {
  messages: string[];
  bytes: number;
  closeCode: number | null;
}

/**
 * A raw graphql-ws socket for hostile tests: it sends whatever it is told, so
 * it can break the protocol, records everything the server sends, and never
 * outlives the session that opened it (see `rawSession`).
 */
export class RawSocket {
  readonly record: RawRecord = { messages: [], bytes: 0, closeCode: null };
  readonly closed: Promise<number>;
  private readonly waiters: (() => void)[] = [];
  private read = 0;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      this.record.messages.push(data.toString());
      this.record.bytes += data.length;
      this.waiters.splice(0).forEach((wake) => wake());
    });
    this.closed = new Promise((resolve) =>
      socket.once('close', (code) => {
        this.record.closeCode = code;
        this.waiters.splice(0).forEach((wake) => wake());
        resolve(code);
      }),
    );
    socket.on('error', () => undefined); // a refused or reset socket reports through `close`
  }

  /** Opens a socket (graphql-transport-ws unless told otherwise); rejects if the upgrade fails. */
  static async open(httpUrl: string, protocol = 'graphql-transport-ws'): Promise<RawSocket> {
    const socket = new WebSocket(wsUrl(httpUrl), protocol);
    const raw = new RawSocket(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
      socket.once('close', () => reject(new Error('closed before opening')));
    });
    return raw;
  }

  send(message: object | string): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The next message not read yet, parsed; null once the socket is closed or after `timeoutMs`. */
  async next(timeoutMs = 5_000): Promise<Record<string, unknown> | null> {
    const deadline = Date.now() + timeoutMs;
    while (this.read >= this.record.messages.length) {
      const left = deadline - Date.now();
      if (this.record.closeCode !== null || left <= 0) return null;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return JSON.parse(this.record.messages[this.read++]!) as Record<string, unknown>;
  }

  /** Sends connection_init and waits for connection_ack. */
  async init(payload?: Record<string, unknown>): Promise<void> {
    this.send({ type: 'connection_init', ...(payload ? { payload } : {}) });
    const ack = await this.next();
    if (ack?.type !== 'connection_ack') throw new Error(`expected connection_ack, got ${JSON.stringify(ack)} (close ${this.record.closeCode})`);
  }

  /** Waits until the server closes the socket; the code, or null if it stayed open for `timeoutMs`. */
  async waitClose(timeoutMs = 10_000): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), timeoutMs);
    });
    try {
      return await Promise.race([this.closed, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Ends the socket at once, however the server behaves. */
  terminate(): void {
    this.socket.terminate();
  }
}

/**
 * Runs `script` with raw sockets it opens through `open`, and terminates every
 * one of them afterwards, whatever happens; the whole session is cut off after
 * `timeoutMs`. Returns what each socket recorded.
 */
export async function rawSession(
  httpUrl: string,
  script: (open: (protocol?: string) => Promise<RawSocket>) => Promise<void>,
  timeoutMs = 20_000,
): Promise<RawRecord[]> {
  const sockets: RawSocket[] = [];
  const open = async (protocol?: string) => {
    const socket = await RawSocket.open(httpUrl, protocol);
    sockets.push(socket);
    return socket;
  };
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      script(open),
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`websocket session took over ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    // Taken before terminating, so only closes by the server are recorded.
    return sockets.map((socket) => ({ ...socket.record, messages: [...socket.record.messages] }));
  } finally {
    clearTimeout(timer);
    for (const socket of sockets) socket.terminate();
  }
}
