/**
 * Hash routes, so the static build needs no server rewrites:
 * `#/` catalog (query string: q, category, sort), `#/course/<id>`,
 * `#/orders`, `#/signin?next=<hash to return to>`.
 */
import { useSyncExternalStore } from 'react';

export type Route =
  { page: 'catalog'; params: URLSearchParams } | { page: 'course'; courseId: string } | { page: 'orders' } | { page: 'signin'; next: string };

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?');
  const course = /^\/course\/([^/]+)$/.exec(path);
  if (course) return { page: 'course', courseId: decodeSegment(course[1]!) };
  if (path === '/orders') return { page: 'orders' };
  if (path === '/signin') {
    // Only a route of this page: never a URL elsewhere.
    const next = new URLSearchParams(query).get('next') ?? '';
    return { page: 'signin', next: next.startsWith('#/') ? next : '#/' };
  }
  return { page: 'catalog', params: new URLSearchParams(query) };
}

/** A URL segment decoded; a malformed escape (`%E0%A4%A`) stays as typed, and the API calls it an invalid id. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

const subscribe = (onChange: () => void) => {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
};

/** The current route; re-renders on every hash change. */
export function useRoute(): Route {
  return parseRoute(useSyncExternalStore(subscribe, () => window.location.hash));
}

/**
 * Goes to a route of this page (a `#/...` hash). `replace` changes the
 * current history entry instead of adding one, as typing a search does.
 */
export function navigate(hash: string, { replace = false } = {}): void {
  if (replace) window.location.replace(hash);
  else window.location.hash = hash;
}

export const catalogHref = (params: URLSearchParams) => `#/${params.size ? `?${params}` : ''}`;
export const courseHref = (courseId: string) => `#/course/${encodeURIComponent(courseId)}`;
export const signInHref = (next: string) => `#/signin?${new URLSearchParams({ next })}`;
