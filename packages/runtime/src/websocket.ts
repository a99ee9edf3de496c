/**
 * The one way a service serves graphql-ws: a graphql-ws server (`makeServer`)
 * on a ws server sharing the service's HTTP port and path. It replaces
 * graphql-ws/use/ws, which admits every socket, buffers messages of any size
 * (ws's default limit is 100 MB) and logs a client's protocol mistakes as
 * internal errors. Here:
 * - every message is bounded (`maxMessageBytes`): ws closes the connection
 *   with 1009 from the frame header, before buffering the message;
 * - a well-formed message that only a server sends (next, error,
 *   connection_ack) closes the connection with 4400, as a malformed one does,
 *   rather than with 4500 and an internal-error log line;
 * - `admit` may refuse a new connection with a close code before graphql-ws
 *   sees it (connection caps);
 * - every client is pinged each `keepAliveMs`; one that has not answered the
 *   previous ping is dropped;
 * - a client that never answers a close frame is cut off after
 *   CLOSE_TIMEOUT_MS instead of ws's 30 s;
 * - a subscribe that reuses the id of an operation the client has completed
 *   waits until graphql-ws has finished that operation (see `OperationOrder`);
 * - a fault while a subscribe message is handled ends that operation with an
 *   INTERNAL_SERVER_ERROR `error` message (logged); only a fault in any other
 *   message closes the connection with 4500.
 *
 * Errors sent over the websocket are masked as over HTTP, by one function for
 * the gateway and every subgraph (`webSocketErrorMask`).
 */
import type http from 'node:http';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import WebSocket, { WebSocketServer, type ServerOptions } from 'ws';
import { CloseCode, handleProtocols, MessageType, parseMessage, type Server } from 'graphql-ws';
import type { Logger } from './log';
import { OperationOrder } from './operation-order';

/** What graphql-ws hands its hooks about a connection (`ctx.extra`). */
export interface WebSocketExtra {
  socket: WebSocket;
  request: http.IncomingMessage;
}

/** Refuses a connection: the close code and reason it is closed with. */
export interface Refusal {
  code: number;
  reason: string;
}

export interface WebSocketServing {
  server: http.Server;
  path: string;
  /** Largest message in bytes; a bigger one closes the connection with 1009. */
  maxMessageBytes: number;
  /** Ping interval in milliseconds. */
  keepAliveMs: number;
  /**
   * Called for each new connection: a Refusal closes it at once; otherwise the
   * returned function runs when the connection closes (to release what it counted).
   */
  admit?: (request: http.IncomingMessage) => Refusal | (() => void);
  /** Called on each upgrade request before it is upgraded; false answers it 403 (the gateway's Origin check). */
  acceptUpgrade?: (request: http.IncomingMessage) => boolean;
  log: Logger;
}

export interface ServedWebSockets {
  /** Connections admitted and open now. */
  connections(): number;
  /** Closes every connection (1001) and the ws server. */
  dispose(): Promise<void>;
}

/** Milliseconds a closing socket waits for the client's close frame. */
const CLOSE_TIMEOUT_MS = 2_000;

const CLIENT_MESSAGES = new Set<string>([
  MessageType.ConnectionInit,
  MessageType.Ping,
  MessageType.Pong,
  MessageType.Subscribe,
  MessageType.Complete,
]);

/** The type and id of a valid graphql-ws message; null for a malformed one, which is left to graphql-ws (4400). */
function envelope(text: string): { type: string; id?: string } | null {
  try {
    const message = parseMessage(text);
    return { type: message.type, id: 'id' in message ? message.id : undefined };
  } catch {
    return null;
  }
}

/** What a client sees of an operation that failed inside the server; the fault itself is logged. */
export const INTERNAL_ERROR: GraphQLFormattedError = { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };

/** A fault as a GraphQLError, as Apollo Server wraps one: its message, and the fault as `originalError` (whose `extensions` it keeps). */
export function asGraphQLError(fault: unknown): GraphQLError {
  const cause = fault instanceof Error ? fault : undefined;
  return new GraphQLError(cause?.message ?? String(fault), { originalError: cause });
}

/**
 * The masking of every error a service sends over its websocket: `format`
 * (its Apollo Server `formatError`, errors.ts) applied as over HTTP, to a
 * GraphQLError or to any other fault wrapped by `asGraphQLError`. So a client
 * mistake keeps its code, an outage is SERVICE_UNAVAILABLE and anything else
 * INTERNAL_SERVER_ERROR, logged.
 */
export function webSocketErrorMask(
  format: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError,
): (error: unknown) => GraphQLFormattedError {
  return (error) => {
    const graphQLError = error instanceof GraphQLError ? error : asGraphQLError(error);
    return format(graphQLError.toJSON(), graphQLError);
  };
}

/** Serves `graphqlWs` over websockets as described above. */
export function serveWebSockets(graphqlWs: Server<WebSocketExtra>, options: WebSocketServing): ServedWebSockets {
  const { log } = options;
  // ws 8.23 takes `closeTimeout`; @types/ws 8.18 does not list it yet.
  const serverOptions: ServerOptions & { closeTimeout: number } = {
    server: options.server,
    path: options.path,
    maxPayload: options.maxMessageBytes,
    closeTimeout: CLOSE_TIMEOUT_MS,
    handleProtocols,
    ...(options.acceptUpgrade && {
      verifyClient: ({ req }: { req: http.IncomingMessage }, done: (accept: boolean, code?: number, reason?: string) => void) =>
        done(options.acceptUpgrade!(req), 403, 'Forbidden'),
    }),
  };
  const wsServer = new WebSocketServer(serverOptions);
  const alive = new WeakSet<WebSocket>();
  let connections = 0;

  wsServer.on('connection', (socket, request) => {
    socket.on('error', (error) => {
      // ws has closed the socket already, with the code the fault calls for (1009 for an oversized message).
      log.info('websocket client broke the protocol', { address: request.socket.remoteAddress, error: error.message });
    });
    const admitted = options.admit?.(request) ?? (() => undefined);
    if (typeof admitted !== 'function') {
      socket.close(admitted.code, admitted.reason);
      return;
    }
    connections++;
    alive.add(socket);
    socket.on('pong', () => alive.add(socket));
    const closed = graphqlWs.opened(
      {
        protocol: socket.protocol,
        send: (data) =>
          new Promise<void>((resolve, reject) => {
            if (socket.readyState !== WebSocket.OPEN) return resolve();
            socket.send(data, (error) => (error ? reject(error) : resolve()));
          }),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) => {
          const order = new OperationOrder(handle, (error, operation) => {
            log.error('handling a websocket message failed', { error, operationId: operation?.id });
            if (!operation) return socket.close(CloseCode.InternalServerError, 'Internal server error');
            // graphql-ws has dropped the operation: end it for the client, and only it (unless the client ended it, and may reuse its id).
            if (!operation.completed && socket.readyState === WebSocket.OPEN)
              socket.send(JSON.stringify({ id: operation.id, type: MessageType.Error, payload: [INTERNAL_ERROR] }));
          });
          socket.on('message', (data) => {
            const text = String(data);
            const message = envelope(text);
            // graphql-ws throws on a well-formed message only a server sends, which would be a 4500.
            if (message && !CLIENT_MESSAGES.has(message.type)) return socket.close(CloseCode.BadRequest, 'Unexpected message type');
            order.receive(text, message?.type ?? '', message?.id);
          });
        },
      },
      { socket, request },
    );
    socket.once('close', (code, reason) => {
      connections--;
      admitted();
      void closed(code, reason.toString());
    });
  });

  const pinger = setInterval(() => {
    for (const socket of wsServer.clients) {
      if (!alive.has(socket)) {
        socket.terminate();
        continue;
      }
      alive.delete(socket);
      socket.ping();
    }
  }, options.keepAliveMs);
  pinger.unref();

  return {
    connections: () => connections,
    async dispose() {
      clearInterval(pinger);
      for (const socket of wsServer.clients) socket.close(1001, 'Going away');
      await new Promise((resolve) => wsServer.close(resolve));
    },
  };
}
