/**
 * What the catalog benchmark asks: the catalog page with enrollment counts
 * through a gateway, the two parts the gateway's plan asks of the subgraphs,
 * and the targets (endpoint + request) they are measured on; each target's
 * answer is checked before it is measured.
 */
import { PAGE } from './options';

export const CATALOG = `query Catalog($first: Int!) { courses(first: $first) { edges { node { id title price { amount currency } seatsAvailable seatsSold enrollmentCount } } pageInfo { hasNextPage endCursor } } }`;
/** The same page shape from different starting points: no two requests in flight ask the same thing. */
export const CATALOG_AFTER = `query CatalogAfter($first: Int!, $after: String) { courses(first: $first, after: $after) { edges { node { id title price { amount currency } seatsAvailable seatsSold enrollmentCount } } pageInfo { hasNextPage endCursor } } }`;
/** What the gateway asks the course subgraph for the catalog (its query plan's first fetch). */
export const COURSE_PART = `query Catalog__course__0($first: Int!) { courses(first: $first) { edges { node { __typename id title price { amount currency } seatsAvailable seatsSold } } pageInfo { hasNextPage endCursor } } }`;
/** What it then asks the order subgraph: the enrollment counts of the page's courses. */
export const ORDER_PART = `query Catalog__order__1($representations: [_Any!]!) { _entities(representations: $representations) { ... on Course { enrollmentCount } } }`;
/** The cursors of the catalog, 100 at a time (for the distinct pages). */
export const CURSORS = `query Cursors($after: String) { courses(first: 100, after: $after) { edges { cursor } pageInfo { endCursor } } }`;

export interface Target {
  name: string;
  label: string;
  url: string;
  body: string;
  /** When set, each request takes the next of these bodies (the same operation, different variables). */
  bodies?: string[];
  /** Headers of each request besides content-type (a subgraph's: the gateway's anonymous assertion, which the gateway sends too). */
  headers?: () => Record<string, string>;
}

export type GraphQLAnswer = { data?: Record<string, unknown>; errors?: unknown[] };

export async function post(url: string, body: string, headers: Record<string, string> = {}): Promise<GraphQLAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${url} answered ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as GraphQLAnswer;
}

/** Throws unless the target answers the full, correct result (no errors, the page with enrollment counts). */
export async function check(target: Target): Promise<void> {
  const result = await post(target.url, target.body, target.headers?.());
  if (result.errors || !result.data) throw new Error(`${target.name}: ${JSON.stringify(result).slice(0, 500)}`);
  if (target.name === 'order subgraph') {
    const entities = result.data._entities as { enrollmentCount: number }[];
    if (entities.length !== PAGE || entities.some((entity) => !(entity.enrollmentCount > 0)))
      throw new Error(`${target.name}: unexpected ${JSON.stringify(entities).slice(0, 300)}`);
    return;
  }
  const edges = (result.data.courses as { edges: { node: { enrollmentCount?: number } }[] }).edges;
  if (edges.length !== PAGE) throw new Error(`${target.name}: ${edges.length} edges`);
  if (target.name !== 'course subgraph' && edges.some((edge) => !(edge.node.enrollmentCount! > 0)))
    throw new Error(`${target.name}: an enrollmentCount is 0`);
}
