/**
 * Which web pages may call the gateway from a browser: CORS on HTTP (the
 * `cors` package) and the same origin list on the graphql-ws upgrade, where
 * browsers send `Origin` but CORS does not apply.
 *
 * CORS_ORIGINS is a comma-separated list of exact origins
 * (`https://shop.example.com`); an entry ending in `:*` allows that scheme
 * and host on any port (`http://localhost:*`). Unset, production allows no
 * origin and development allows http://localhost:* and http://127.0.0.1:*
 * (Sandbox, the storefront's dev server).
 *
 * Credentials are not allowed (`Access-Control-Allow-Credentials` is never
 * sent): the gateway authenticates by the `Authorization` header, never by a
 * cookie, so a page needs no credentialed request, and a foreign page's
 * request carries nothing that authenticates it.
 */
import type http from 'node:http';
import cors from 'cors';
import type { RequestHandler } from 'express';

/** Origins allowed when CORS_ORIGINS is unset outside production. */
export const DEVELOPMENT_ORIGINS = ['http://localhost:*', 'http://127.0.0.1:*'];

/** Request headers a page may send: content type, bearer token, request id, and Apollo's CSRF-prevention and operation-name headers. */
export const ALLOWED_HEADERS = ['content-type', 'authorization', 'x-request-id', 'apollo-require-preflight', 'x-apollo-operation-name'];

/** How long (s) a browser may reuse a preflight answer. */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/** CORS_ORIGINS as a list (see the module comment); throws on an entry that is not a bare origin. */
export function parseCorsOrigins(raw: string | undefined, production: boolean): string[] {
  if (raw === undefined || raw.trim() === '') return production ? [] : DEVELOPMENT_ORIGINS;
  const origins = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  for (const origin of origins) {
    const url = URL.canParse(origin.replace(/:\*$/, '')) ? new URL(origin.replace(/:\*$/, '')) : null;
    // A path, a trailing slash or a wildcard host would never equal a browser's Origin header, or would match too much.
    if (!url || !/^https?:$/.test(url.protocol) || url.hostname.includes('*') || `${url.origin}${origin.endsWith(':*') ? ':*' : ''}` !== origin) {
      throw new Error(`CORS_ORIGINS entry "${origin}" is not an origin such as https://shop.example.com or http://localhost:*`);
    }
  }
  return origins;
}

/** Whether `origin` (an Origin header) is one of `allowed`. */
export function originAllowed(allowed: readonly string[], origin: string): boolean {
  return allowed.some((entry) =>
    entry.endsWith(':*') ? new RegExp(`^${escapeRegExp(entry.slice(0, -2))}(:\\d{1,5})?$`).test(origin) : entry === origin,
  );
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The CORS middleware for /graphql: preflights answered (204), allowed origins echoed, others get no CORS headers. */
export function corsMiddleware(allowed: readonly string[]): RequestHandler {
  return cors({
    origin: (origin, callback) => callback(null, origin !== undefined && originAllowed(allowed, origin)),
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ALLOWED_HEADERS,
    exposedHeaders: ['x-request-id'],
    credentials: false,
    maxAge: PREFLIGHT_MAX_AGE_SECONDS,
  });
}

/** The websocket upgrade's check: no Origin (not a browser) or an allowed one. */
export function websocketOriginCheck(allowed: readonly string[]): (request: http.IncomingMessage) => boolean {
  return (request) => request.headers.origin === undefined || originAllowed(allowed, request.headers.origin);
}
