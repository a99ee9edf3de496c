/**
 * Automatic persisted queries, checked before Apollo Server sees them
 * (`persistedQueryGuard`).
 */
import { createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { requestIdExtension } from '@coursegraph/runtime';
import { requestParameter } from './request';

interface PersistedQueryExtension {
  version?: unknown;
  sha256Hash?: unknown;
}

/** The `extensions.persistedQuery` of a POST body or of a GET's `extensions` parameter, if any (malformed JSON is Apollo Server's to refuse). */
function persistedQueryOf(req: Request): { query: unknown; persisted: PersistedQueryExtension } | null {
  let extensions = requestParameter(req, 'extensions');
  if (typeof extensions === 'string') {
    try {
      extensions = JSON.parse(extensions);
    } catch {
      return null;
    }
  }
  const persisted = (extensions as { persistedQuery?: unknown } | null | undefined)?.persistedQuery;
  if (!persisted || typeof persisted !== 'object') return null;
  const query = requestParameter(req, 'query');
  return { query, persisted: persisted as PersistedQueryExtension };
}

const refuse = (res: Response, message: string, code: string) =>
  res.status(400).json({ errors: [{ message, extensions: { code, ...requestIdExtension() } }] });

/**
 * Express middleware in front of Apollo Server for automatic persisted
 * queries (https://www.apollographql.com/docs/apollo-server/performance/apq):
 * a version other than 1 or a hash that is not 64 hex digits is
 * PERSISTED_QUERY_NOT_SUPPORTED, and a hash that is not the SHA-256 of the
 * query sent with it is PERSISTED_QUERY_HASH_MISMATCH, both 400. Apollo
 * Server refuses these too, but with errors that carry no code, which read
 * as INTERNAL_SERVER_ERROR.
 */
export function persistedQueryGuard(req: Request, res: Response, next: NextFunction): void {
  const apq = persistedQueryOf(req);
  if (!apq) return next();
  const { version, sha256Hash } = apq.persisted;
  if (version !== 1 || typeof sha256Hash !== 'string' || !/^[0-9a-f]{64}$/i.test(sha256Hash)) {
    refuse(res, 'Only persisted queries of version 1 with a SHA-256 hash (64 hex digits) are supported.', 'PERSISTED_QUERY_NOT_SUPPORTED');
    return;
  }
  if (typeof apq.query === 'string' && createHash('sha256').update(apq.query).digest('hex') !== sha256Hash.toLowerCase()) {
    refuse(res, 'The persisted query hash is not the SHA-256 of the query sent with it.', 'PERSISTED_QUERY_HASH_MISMATCH');
    return;
  }
  next();
}
