/** Helpers for abuse cases: raw HTTP so that any body can be sent, and the codes an answer carries. */
import type { AbuseOutcome } from './types';

/** Collects `extensions.code` of every error and `code` of every userError, anywhere in a JSON answer. */
export function codesIn(value: unknown, into: string[] = []): string[] {
  if (Array.isArray(value)) {
    for (const item of value) codesIn(item, into);
  } else if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (record.extensions && typeof (record.extensions as { code?: unknown }).code === 'string') {
      into.push((record.extensions as { code: string }).code);
    }
    if (Array.isArray(record.userErrors)) {
      for (const error of record.userErrors as { code?: unknown }[]) if (typeof error.code === 'string') into.push(error.code);
    }
    for (const [key, child] of Object.entries(record)) if (key !== 'extensions') codesIn(child, into);
  }
  return into;
}

/** Any request as it is (method, headers, body), read whole within `timeoutMs`. */
export async function request(url: string, init: RequestInit, timeoutMs = 15_000): Promise<AbuseOutcome> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // Not JSON: no codes, the text is still checked for leaks.
  }
  return { codes: codesIn(json), responseBytes: Buffer.byteLength(text), text };
}

/** POSTs `body` as it is (a string is sent verbatim) and reads the whole answer, within `timeoutMs`. */
export const post = (url: string, body: unknown, headers: Record<string, string> = {}, timeoutMs = 15_000): Promise<AbuseOutcome> =>
  request(
    url,
    { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) },
    timeoutMs,
  );
