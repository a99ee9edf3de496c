/**
 * Who is calling a subgraph, read from what the gateway (or an internal
 * service) signed: the viewer, the calling service, the client address, and
 * the time budget. Who may call at all is described in subgraph.ts; an
 * invalid, expired or foreign assertion is 401 UNAUTHENTICATED.
 */
import type express from 'express';
import type { CommonConfig } from './config';
import { unauthenticated } from './errors';
import {
  CLIENT_HEADER,
  IDENTITY_HEADER,
  SERVICE_HEADER,
  verifyClientAddress,
  verifyIdentity,
  verifyServiceCredential,
  type Viewer,
} from './identity';

/**
 * The time budget header: the milliseconds the caller will still wait for
 * the answer, counted from when the request is sent. The gateway sends it on
 * every subgraph request, the order subgraph on every course call.
 */
export const BUDGET_HEADER = 'x-coursegraph-budget-ms';
/** The largest budget honoured (10 minutes); larger or malformed values are ignored. */
const MAX_BUDGET_MS = 600_000;

/**
 * Reads a budget header value into an absolute deadline (epoch ms), or null
 * when there is none or it is not an integer from 0 to MAX_BUDGET_MS.
 */
export function readBudget(value: string | undefined, now = Date.now()): number | null {
  if (value === undefined || !/^\d{1,7}$/.test(value)) return null;
  const ms = Number(value);
  return ms <= MAX_BUDGET_MS ? now + ms : null;
}

/** Who is calling a subgraph: a user (through the gateway), a service, or nobody; and from where, when the gateway says. */
export interface Caller {
  viewer: Viewer | null;
  service: string | null;
  address: string | null;
  /**
   * When the caller stops waiting (epoch ms), from the budget header; null
   * when it sent none. Work for this request must not outlive it.
   */
  deadline: number | null;
}

function header(req: express.Request, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export type Secrets = Pick<CommonConfig, 'production' | 'subgraphSecret' | 'serviceSecret'>;

/** The caller of an HTTP request; throws 401 UNAUTHENTICATED as described above. */
export function readCaller(req: express.Request, secrets: Secrets): Caller {
  const caller = verifyCaller(header(req, IDENTITY_HEADER), header(req, SERVICE_HEADER), secrets, header(req, CLIENT_HEADER));
  return { ...caller, deadline: readBudget(header(req, BUDGET_HEADER)) };
}

/**
 * Over websockets the gateway sends the same assertions per subscription, in
 * the subscribe message's `extensions`, since one connection carries the
 * subscriptions of many users.
 */
export function readSubscriptionCaller(extensions: Record<string, unknown> | null | undefined, secrets: Secrets): Caller {
  const text = (name: string) => (typeof extensions?.[name] === 'string' ? (extensions[name] as string) : undefined);
  return verifyCaller(text(IDENTITY_HEADER), text(SERVICE_HEADER), secrets);
}

/** 401 rather than unauthenticated()'s 200: the request as a whole is refused, before any operation runs. */
function refused(message: string) {
  const error = unauthenticated(message);
  error.extensions.http = { status: 401 };
  return error;
}

function verifyCaller(identity: string | undefined, service: string | undefined, secrets: Secrets, client?: string): Caller {
  if (secrets.production && !identity && !service) {
    throw refused('This service answers the gateway and internal services only.');
  }
  try {
    return {
      viewer: identity ? verifyIdentity(secrets.subgraphSecret, identity) : null,
      service: service ? verifyServiceCredential(secrets.serviceSecret, service) : null,
      address: client ? verifyClientAddress(secrets.subgraphSecret, client) : null,
      deadline: null,
    };
  } catch {
    throw refused('The identity sent with this request is not valid.');
  }
}
