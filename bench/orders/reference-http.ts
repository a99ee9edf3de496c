/**
 * The HTTP side the Express references share (bench/orders/reference-*.ts):
 * the placeOrder request as the gateway takes it (`POST /graphql`, JSON body
 * `{ query, variables: { input: { courseId, expectedPrice, idempotencyKey } } }`,
 * `Authorization: Bearer <access token>`), its checks (the same token check
 * as the gateway, `verifyUserToken`; the input's fields present), its answers
 * in placeOrder's payload shape, and serving an app: each process listens on
 * 127.0.0.1:PORT (0 = any), prints `listening <url>` for bench/orders/references.ts,
 * and exits on SIGTERM or when its parent's IPC channel closes.
 */
import type { Express, Request, Response } from 'express';
import { verifyUserToken } from '@coursegraph/runtime';
import type { Money, Order } from './reference-books';

export interface PlaceOrderInput {
  courseId: string;
  expectedPrice: Money;
  idempotencyKey: string;
}

/** The student the bearer token names; null after answering 401 as the gateway does when it is missing or invalid. */
export function studentOf(secret: string, req: Request, res: Response): string | null {
  const match = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
  try {
    return verifyUserToken(secret, match![1]!).userId;
  } catch {
    res.status(401).json({ errors: [{ message: 'The access token is invalid or expired.', extensions: { code: 'UNAUTHENTICATED' } }] });
    return null;
  }
}

/** placeOrder's input from the request body; null when a field is missing (VALIDATION). */
export function placeOrderInput(body: unknown): PlaceOrderInput | null {
  const input = (body as { variables?: { input?: Partial<PlaceOrderInput> } } | undefined)?.variables?.input;
  if (!input?.courseId || !input.expectedPrice || !input.idempotencyKey) return null;
  return input as PlaceOrderInput;
}

/** placeOrder's payload with one user error. */
export const userError = (code: string) => ({ data: { placeOrder: { order: null, userErrors: [{ code }] } } });

/** placeOrder's payload with the order. */
export const placed = (order: Order) => ({ data: { placeOrder: { order: { id: order.id, status: order.status }, userErrors: [] } } });

/** Listens on 127.0.0.1:`port`, prints `listening <base URL>`, and stops on SIGTERM or when the parent goes away. */
export function serve(app: Express, port: number): void {
  const server = app.listen(port, '127.0.0.1', () => {
    const address = server.address() as { port: number };
    console.log(`listening http://127.0.0.1:${address.port}`);
  });
  // Longer than a client's idle keep-alive, as the services have it (packages/runtime/src/http.ts).
  server.keepAliveTimeout = 65_000;
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
  // The IPC channel closes when the benchmark ends, however it ends.
  process.on('disconnect', () => process.exit(0));
}

/** Runs a reference process's `main`; an error ends the process with exit code 1. */
export function runReference(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
