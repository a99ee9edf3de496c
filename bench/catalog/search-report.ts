/**
 * The search scenario's part of the catalog report (bench/results/catalog.md,
 * and the tables printed at the end): req/s and p50/p99 (ms) of the search
 * and baseline pages at 1 connection, at C connections and from one client
 * serially, their ratios, the p50 aim, CPU ms per request, what the search
 * words select, the SQL statements per request per subgraph at each page
 * size, and the key lines of each EXPLAIN plan.
 */
import { fmt, mdRow } from '../runner/report';
import type { SearchPart } from './results';

function figureLines(part: SearchPart): string[] {
  const { medians, ratiosSearchOverBaseline: r, parameters } = part;
  const c = parameters.connections[1];
  const row = (label: string, s: typeof medians.search) =>
    mdRow([
      label,
      fmt(s.one.rps),
      fmt(s.one.p50),
      fmt(s.one.p99),
      fmt(s.serial.p50, 2),
      fmt(s.serial.p99, 2),
      fmt(s.many.rps),
      fmt(s.many.p50),
      fmt(s.many.p99),
    ]);
  return [
    `| page | req/s, 1 conn. | p50 ms | p99 ms | one client, serially: p50 ms | p99 ms | req/s, ${c} conn. | p50 ms | p99 ms |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    row('search + filter + sort', medians.search),
    row('baseline: no search, no filter', medians.baseline),
    mdRow(['search / baseline', fmt(r.rpsOneConnection, 2), '', '', fmt(r.p50OneClient, 2), '', fmt(r.rps, 2), fmt(r.p50, 2), '']),
    '',
    `Aim: the search page's one-client p50 under ${part.aim.p50OneClientMs} ms — ${part.aim.met ? 'met' : 'missed'} (${fmt(medians.search.serial.p50, 2)} ms).`,
  ];
}

const cpuLines = (part: SearchPart): string[] => {
  const names = Object.keys(part.medians.search.cpuMsPerRequest);
  return [
    `| page | ${names.map((name) => `${name} CPU ms/req`).join(' | ')} |`,
    `|---|${names.map(() => '---:|').join('')}`,
    ...(['search', 'baseline'] as const).map((page) => mdRow([page, ...names.map((name) => fmt(part.medians[page].cpuMsPerRequest[name], 2))])),
  ];
};

const sqlLines = (part: SearchPart): string[] => [
  '| page size | edges | course subgraph | order subgraph | accounts | gateway |',
  '|---:|---:|---:|---:|---:|---:|',
  ...part.sql.map((c) => mdRow([c.pageSize, c.edges, c.statements.course!, c.statements.order!, c.statements.accounts!, c.statements.gateway!])),
];

/** Each distinct statement once (the page sizes differ only in a LIMIT or the number of ids), its first 500 characters. */
const statementLines = (part: SearchPart): string[] =>
  [
    ...new Set(part.sql.flatMap((c) => ['course', 'order', 'accounts'].flatMap((name) => c.sql[name]!.map((s) => `${name}: ${s}`.slice(0, 500))))),
  ].map((s) => `- \`${s}\``);

const planLines = (part: SearchPart): string[] =>
  part.plans.flatMap((plan) => [`**${plan.label}**${plan.seqScanOnCourse ? ' — Seq Scan on course' : ''}`, '', '```', ...plan.keyLines, '```', '']);

/** The search tables printed at the end of a run. */
export const searchConsole = (part: SearchPart): string[] => [
  '',
  'Search:',
  ...figureLines(part),
  '',
  ...cpuLines(part),
  '',
  ...sqlLines(part),
  '',
  ...part.plans.map((plan) => `${plan.label}: ${plan.keyLines.join(' | ')}`),
];

export function searchMarkdown(part: SearchPart): string[] {
  const { data, parameters: p, selectivityPct } = part;
  const shares = Object.values(selectivityPct);
  return [
    '## Search',
    '',
    `${data.courses} published courses in ${data.categories} categories (1–3 each), ${data.instructors} instructors (accounts users), ${data.confirmedOrders} confirmed orders spread unevenly, ${data.soldOut} courses sold out. Titles and descriptions are composed from word lists; each search word alone matches ${fmt(Math.min(...shares), 1)}–${fmt(Math.max(...shares), 1)} % of the courses.`,
    '',
    `The page of ${p.pageSize} with title, price, seatsAvailable, categories, instructor { displayName } (accounts) and enrollmentCount (order) and totalCount, through the gateway. *Search*: ${part.variables.search.length} distinct requests taken in turn (a topic word, two categories by slug or id, a USD price range, seats left, sorted PRICE_ASC or POPULAR). *Baseline*: the same selection without search or filter in the default sort, as ${part.variables.baseline.length} distinct pages (the first, then after the first courses). Medians of ${p.rounds} ABBA rounds × ${p.durationSeconds} s at each connection count (autocannon, whole ms); one client = ${p.serialRequests} requests one at a time (performance.now()).`,
    '',
    ...figureLines(part),
    '',
    `CPU time per request of each process at ${p.connections[1]} connections:`,
    '',
    ...cpuLines(part),
    '',
    '### SQL statements per search request',
    '',
    'One search request per page size after a warm-up, services started with LOG_SQL=true (sweeper and reconciler off).',
    '',
    ...sqlLines(part),
    '',
    ...statementLines(part),
    '',
    '### Plans',
    '',
    "The course subgraph's statements over the course table, as logged with their parameters, run under EXPLAIN (ANALYZE, BUFFERS) on the seeded course database (full plans in catalog.json). A Seq Scan on course in a search statement or a page sorted by an indexed key fails the run (POPULAR and SEATS_LEFT may scan: the seat counters stay unindexed so that seat writes stay HOT; migration TuneCatalogSearch).",
    '',
    ...planLines(part),
  ];
}
