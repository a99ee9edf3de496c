/** What the Express guards in front of Apollo Server read of a GraphQL request (persisted-query.ts, subscription-root.ts). */
import type { Request } from 'express';

/** A GraphQL request parameter (`query`, `extensions`, ...) as sent: in the URL of a GET, in the JSON body otherwise. */
export function requestParameter(req: Request, name: string): unknown {
  return req.method === 'GET' ? req.query[name] : (req.body as Record<string, unknown> | undefined)?.[name];
}
