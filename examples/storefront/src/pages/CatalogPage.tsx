/**
 * The catalog: a search box, category facets with counts, a sort menu and
 * pages of course cards whose seat counts change live. The search, the
 * chosen categories, the sort and "with seats only" live in the URL
 * (`#/?q=kube&category=databases&sort=PRICE_ASC&available=1`), so a page can
 * be shared and the back button works; typing a search replaces the history
 * entry rather than adding one per word. The page cursors (a cursor belongs
 * to one search, filter and sort) stay in the tab's sessionStorage, so Back
 * from a course returns to the page it was opened from.
 */
import { useEffect, useEffectEvent, useState } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../__generated__';
import type { CourseSort } from '../__generated__/graphql';
import { CourseCard } from '../components/CourseCard';
import { ErrorNote } from '../components/ErrorNote';
import { useLiveSeats } from '../live-seats';
import { catalogHref, navigate } from '../router';

const PAGE_SIZE = 12;

const CatalogDocument = graphql(`
  query Catalog($first: Int!, $after: String, $search: String, $filter: CourseFilter, $sort: CourseSort) {
    courses(first: $first, after: $after, search: $search, filter: $filter, sort: $sort) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          ...CourseCard_course
        }
      }
    }
    courseFacets(search: $search, filter: $filter) {
      count
      category {
        id
        slug
        name
      }
    }
  }
`);

const PAGES_KEY = 'coursegraph.catalog.pages';

/** The page cursors last used for this search, filter and sort in this tab; page 1 when there are none. */
function savedPages(listKey: string): (string | null)[] {
  try {
    const saved = JSON.parse(sessionStorage.getItem(PAGES_KEY) ?? 'null') as { listKey?: string; after?: unknown } | null;
    return saved?.listKey === listKey && Array.isArray(saved.after) && saved.after.length > 0 ? (saved.after as (string | null)[]) : [null];
  } catch {
    return [null];
  }
}

/** The sorts offered besides the API's default (RELEVANCE with a search, OLDEST without). */
const SORTS: { value: CourseSort; label: string }[] = [
  { value: 'NEWEST', label: 'Newest' },
  { value: 'POPULAR', label: 'Most popular' },
  { value: 'PRICE_ASC', label: 'Price: low to high' },
  { value: 'PRICE_DESC', label: 'Price: high to low' },
  { value: 'SEATS_LEFT', label: 'Most seats left' },
  { value: 'TITLE', label: 'Title' },
];

export function CatalogPage({ params }: { params: URLSearchParams }) {
  const search = params.get('q')?.trim() || undefined;
  const categories = params.get('category')?.split(',').filter(Boolean) ?? [];
  const sort = SORTS.find((option) => option.value === params.get('sort'))?.value;
  const available = params.get('available') === '1';
  const filter = { ...(categories.length ? { categorySlugs: categories } : {}), ...(available ? { seatsAvailable: true } : {}) };
  const listKey = params.toString();

  // The cursors of the pages up to this one, for "Previous"; a new search starts again at page 1. They are kept
  // for the tab's session, so that Back from a course returns to the page it was opened from.
  const [cursors, setCursors] = useState(() => ({ listKey, after: savedPages(listKey) }));
  const after = cursors.listKey === listKey ? cursors.after : savedPages(listKey);
  const turnTo = (pages: (string | null)[]) => {
    sessionStorage.setItem(PAGES_KEY, JSON.stringify({ listKey, after: pages }));
    setCursors({ listKey, after: pages });
  };
  const [result] = useQuery({
    query: CatalogDocument,
    variables: { first: PAGE_SIZE, after: after.at(-1), search, filter, sort },
  });
  const edges = result.data?.courses.edges ?? [];
  const live = useLiveSeats(edges.map((edge) => edge.node.id));

  const go = (change: Record<string, string | null>, options?: { replace: boolean }) => {
    const next = new URLSearchParams(params);
    for (const [name, value] of Object.entries(change)) {
      if (value) next.set(name, value);
      else next.delete(name);
    }
    navigate(catalogHref(next), options);
  };
  const toggleCategory = (slug: string) => {
    const next = categories.includes(slug) ? categories.filter((chosen) => chosen !== slug) : [...categories, slug];
    go({ category: next.join(',') });
  };

  return (
    <div className="catalog">
      <aside>
        <SearchBox value={search ?? ''} onSearch={(q) => go({ q }, { replace: search !== undefined })} />
        <h2>Categories</h2>
        <ul className="facets" data-testid="facets">
          {result.data?.courseFacets.map(({ category, count }) => (
            <li key={category.id}>
              <label>
                <input type="checkbox" checked={categories.includes(category.slug)} onChange={() => toggleCategory(category.slug)} /> {category.name}{' '}
                <span className="muted" data-testid="facet-count">
                  {count}
                </span>
              </label>
            </li>
          ))}
        </ul>
        <label className="check">
          <input type="checkbox" checked={available} onChange={() => go({ available: available ? null : '1' })} /> With seats left only
        </label>
      </aside>
      <section>
        <div className="toolbar">
          <span data-testid="total-count">
            {result.data ? `${result.data.courses.totalCount} ${result.data.courses.totalCount === 1 ? 'course' : 'courses'}` : ' '}
          </span>
          <label>
            Sort{' '}
            <select data-testid="sort" value={sort ?? ''} onChange={(event) => go({ sort: event.target.value || null })}>
              <option value="">{search ? 'Best match' : 'Oldest first'}</option>
              {SORTS.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </select>
          </label>
        </div>
        <ErrorNote error={result.error} />
        {result.fetching && !result.data && <p className="muted">Loading…</p>}
        {result.data && edges.length === 0 && <p data-testid="no-results">No course matches. Try fewer words or categories.</p>}
        <div className="grid" data-testid="course-list">
          {edges.map(({ node }) => (
            <CourseCard key={node.id} course={node} seatsAvailable={live.get(node.id)?.seatsAvailable} />
          ))}
        </div>
        <nav className="pager">
          <button disabled={after.length < 2} onClick={() => turnTo(after.slice(0, -1))}>
            Previous
          </button>
          <span className="muted">Page {after.length}</span>
          <button
            data-testid="next-page"
            disabled={!result.data?.courses.pageInfo.hasNextPage}
            onClick={() => turnTo([...after, result.data!.courses.pageInfo.endCursor ?? null])}
          >
            Next
          </button>
        </nav>
      </section>
    </div>
  );
}

/** A search box that searches 300 ms after the last keystroke, or at once on Enter. */
function SearchBox({ value, onSearch }: { value: string; onSearch: (q: string) => void }) {
  const [text, setText] = useState(value);
  // The URL changed (back button, a link): show its search (adjusting state while rendering, not in an effect).
  const [shown, setShown] = useState(value);
  if (value !== shown) {
    setShown(value);
    setText(value);
  }
  // The latest onSearch without restarting the timer each time the page redraws (a live seat count).
  const search = useEffectEvent((q: string) => onSearch(q));
  useEffect(() => {
    if (text.trim() === value) return;
    const timer = setTimeout(() => search(text.trim()), 300);
    return () => clearTimeout(timer);
  }, [text, value]);
  return (
    <form
      role="search"
      onSubmit={(event) => {
        event.preventDefault();
        onSearch(text.trim());
      }}
    >
      <input
        type="search"
        placeholder="Search courses, e.g. kube"
        aria-label="Search courses"
        data-testid="search"
        value={text}
        onChange={(event) => setText(event.target.value)}
      />
    </form>
  );
}
