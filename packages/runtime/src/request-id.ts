/**
 * The request id: one id per unit of work (a client's HTTP request, a
 * subscription, one run of a background job), so that every log line made
 * for it, in every service, and the error a user reports can be matched.
 *
 * - Where it enters: `mountGraphQL` (http.ts) accepts the caller's
 *   `X-Request-Id` when it is `REQUEST_ID_PATTERN` (1 to 128 characters of
 *   [A-Za-z0-9._:-], so it cannot forge a log line or carry a payload) and
 *   makes a random UUID otherwise, and echoes it in the `X-Request-Id`
 *   response header. At the gateway the caller is the client; at a subgraph
 *   it is the gateway or the order subgraph passing theirs on. Each
 *   subscription at the gateway and each run of a periodic job (periodic.ts)
 *   gets a new one.
 * - How it travels: held in an AsyncLocalStorage for the work's whole async
 *   flow (`runWithRequestId`, `currentRequestId`); every internal HTTP call
 *   sends it (http-client.ts), and an upstream subscription sends it in its
 *   subscribe message's `extensions[REQUEST_ID_HEADER]`.
 * - Where it shows: each log line's `requestId` (log.ts's mixin) and each
 *   client-facing error's `extensions.requestId` (errors.ts).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type express from 'express';

/** The header (lower case, as Node reads it) and subscribe-extension key that carry the id. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** What a caller's id must be to be kept: printable, no spaces or quotes, at most 128 characters. */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

const storage = new AsyncLocalStorage<string>();

/** A new request id (a random UUID). */
export const newRequestId = (): string => randomUUID();

/** `value` when it matches REQUEST_ID_PATTERN, otherwise a new id: a caller's id is never trusted as it came. */
export function acceptRequestId(value: unknown): string {
  return typeof value === 'string' && REQUEST_ID_PATTERN.test(value) ? value : newRequestId();
}

/** The id of the work running now, or undefined outside any (start-up, a timer of no job). */
export const currentRequestId = (): string | undefined => storage.getStore();

/** Runs `work` (and everything it starts, synchronously or asynchronously) as the work of request `id`. */
export function runWithRequestId<T>(id: string, work: () => T): T {
  return storage.run(id, work);
}

/** `{ requestId }` of the work running now, to spread into a client-facing error's `extensions`; `{}` outside any. */
export function requestIdExtension(): { requestId?: string } {
  const requestId = currentRequestId();
  return requestId === undefined ? {} : { requestId };
}

/**
 * Express middleware, first on /graphql: accepts or makes the request's id
 * (above), sends it back in `X-Request-Id`, and runs the rest of the request
 * as its work. Body parsing included: raw-body (under express.json) binds its
 * callback to the async context, so a body arriving in later packets resumes
 * in it (tests/request-id.e2e.test.ts).
 */
export function requestIdMiddleware(req: express.Request, res: express.Response, next: express.NextFunction): void {
  const requestId = acceptRequestId(req.headers[REQUEST_ID_HEADER]);
  res.setHeader('X-Request-Id', requestId);
  runWithRequestId(requestId, next);
}
