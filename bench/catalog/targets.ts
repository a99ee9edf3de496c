/**
 * The catalog's targets, each the same page of PAGE courses with enrollment
 * counts, or the part of it one subgraph serves: the coursegraph gateway;
 * (a1) the course subgraph part and (a2) the order subgraph part, asked
 * directly what the gateway's plan asks them; the gateway with distinct
 * pages (each request `after:` another course's cursor); and the same two
 * through Hive Gateway. Each answer is checked once before it is measured.
 */
import { IDENTITY_HEADER } from '@coursegraph/runtime';
import type { ServiceProcesses } from '../runner/services';
import type { Hive } from './hive';
import { CATALOG, CATALOG_AFTER, COURSE_PART, CURSORS, ORDER_PART, check, post, type Target } from './operations';
import { PAGE } from './options';

/** The headers of a request straight to a subgraph: in production it answers only callers with the gateway's assertion (or a service credential). */
const asGateway = (services: ServiceProcesses) => () => ({ [IDENTITY_HEADER]: services.anonymousIdentity() });

/** The coursegraph targets on seeded courses `ids` (in catalog order); also the distinct pages' bodies, for Hive. */
export async function coursegraphTargets(services: ServiceProcesses, ids: string[]): Promise<{ targets: Target[]; distinctBodies: string[] }> {
  const representations = ids.slice(0, PAGE).map((id) => ({ __typename: 'Course', id }));
  const distinctBodies = (await cursors(services.gatewayUrl, ids.length - PAGE)).map((after) =>
    JSON.stringify({ query: CATALOG_AFTER, variables: { first: PAGE, after } }),
  );
  const targets: Target[] = [
    { name: 'gateway', label: 'coursegraph gateway', url: services.gatewayUrl, body: JSON.stringify({ query: CATALOG, variables: { first: PAGE } }) },
    {
      name: 'course subgraph',
      label: '(a1) course subgraph part',
      url: services.subgraphUrls.course!,
      body: JSON.stringify({ query: COURSE_PART, variables: { first: PAGE } }),
      headers: asGateway(services),
    },
    {
      name: 'order subgraph',
      label: '(a2) order subgraph part',
      url: services.subgraphUrls.order!,
      body: JSON.stringify({ query: ORDER_PART, variables: { representations } }),
      headers: asGateway(services),
    },
    {
      name: 'gateway distinct',
      label: 'coursegraph gateway, distinct pages',
      url: services.gatewayUrl,
      body: distinctBodies[0]!,
      bodies: distinctBodies,
    },
  ];
  return { targets, distinctBodies };
}

/** Cursors of the first `count` courses: pages starting after each of them are full and all differ. */
async function cursors(gatewayUrl: string, count: number): Promise<string[]> {
  const found: string[] = [];
  for (let after: string | null = null; found.length < count;) {
    const page = await post(gatewayUrl, JSON.stringify({ query: CURSORS, variables: { after } }));
    const connection = page.data!.courses as { edges: { cursor: string }[]; pageInfo: { endCursor: string } };
    found.push(...connection.edges.map((edge) => edge.cursor));
    after = connection.pageInfo.endCursor;
  }
  return found.slice(0, count);
}

/** The same page, and the distinct pages, through Hive Gateway, which passes the assertion they carry on to the subgraphs (hive.ts). */
export const hiveTargets = (hive: Hive, services: ServiceProcesses, gateway: Target, distinctBodies: string[]): Target[] => [
  { name: 'hive', label: `Hive Gateway ${hive.version}`, url: hive.url, body: gateway.body, headers: asGateway(services) },
  {
    name: 'hive distinct',
    label: `Hive Gateway ${hive.version}, distinct pages`,
    url: hive.url,
    body: distinctBodies[0]!,
    bodies: distinctBodies,
    headers: asGateway(services),
  },
];

/** Checks every target's answer (throws on a wrong one); a problem when the two gateways answer the catalog differently. */
export async function checkTargets(targets: Target[]): Promise<string[]> {
  for (const target of targets) await check(target);
  const hive = targets.find((t) => t.name === 'hive');
  if (!hive) return [];
  const [ours, theirs] = await Promise.all([post(targets[0]!.url, targets[0]!.body), post(hive.url, hive.body, hive.headers?.())]);
  return JSON.stringify(ours) === JSON.stringify(theirs) ? [] : ['Hive Gateway and the coursegraph gateway answered the catalog differently'];
}
