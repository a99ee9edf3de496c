/**
 * The catalog benchmark's report (bench/results/catalog.md, and the tables
 * printed at the end): req/s and latency per target, the derived figures,
 * CPU ms per request and ELU per process, the SQL counts with their
 * statements, the gateway's CPU profile (--profile), problems and notes.
 */
import type { ProfileSummary } from '../runner/profile';
import { describeMachine } from '../runner/results';
import { fmt, mdList, mdRow } from '../runner/report';
import { ELU_SERVICES, PROCESSES, type CatalogFigures } from './figures';
import type { Target } from './operations';
import type { CatalogPart, CatalogResults } from './results';
import { searchConsole, searchMarkdown } from './search-report';
import type { SqlCount } from './sql-per-request';

/** Why Hive Gateway was not measured, or null. */
const hiveSkipped = (results: CatalogPart): string | null => ('skipped' in results.hive ? results.hive.skipped : null);

/** The catalog part's targets and figures, as measured (the JSON keeps only their medians). */
export interface CatalogView {
  targets: Target[];
  figures: CatalogFigures;
}

function tableLines(results: CatalogPart, targets: Target[]): string[] {
  return [
    `| target | req/s (${results.parameters.connections} conn.) | p50 ms | p99 ms | mean ms | one client p50 ms | one client p99 ms |`,
    '|---|---:|---:|---:|---:|---:|---:|',
    ...targets.map((t) => {
      const s = results.medians[t.name]!;
      return mdRow([t.label, fmt(s.rps), fmt(s.p50), fmt(s.p99), fmt(s.mean, 2), fmt(s.serialP50, 2), fmt(s.serialP99, 2)]);
    }),
  ];
}

function derivedLines(results: CatalogPart): string[] {
  const { derived: d, parameters } = results;
  return [
    '| figure | value |',
    '|---|---:|',
    `| gateway overhead, one client: gateway p50 − (a1 p50 + a2 p50) | ${fmt(d.serialOverheadP50Ms, 2)} ms |`,
    `| gateway overhead under load: gateway (distinct pages) p50 − (a1 p50 + a2 p50) at ${parameters.connections} conn. | ${fmt(d.loadedOverheadP50Ms, 1)} ms |`,
    `| req/s gateway (distinct pages) / a1 course part | ${fmt(d.rpsGatewayOverCourse, 2)} |`,
    `| req/s gateway (distinct pages) / a2 order part | ${fmt(d.rpsGatewayOverOrder, 2)} |`,
    `| req/s gateway (distinct pages) / both parts one after the other (1 / (1/a1 + 1/a2)) | ${fmt(d.rpsGatewayOverSerialParts, 2)} |`,
    `| req/s coursegraph gateway / Hive Gateway | ${d.rpsGatewayOverHive === null ? `– (${hiveSkipped(results)})` : fmt(d.rpsGatewayOverHive, 2)} |`,
    `| req/s and p50 coursegraph gateway / Hive Gateway, distinct pages | ${d.rpsGatewayOverHiveDistinctPages === null ? '–' : `${fmt(d.rpsGatewayOverHiveDistinctPages, 2)}; ${fmt(d.p50GatewayOverHiveDistinctPages, 2)}`} |`,
    `| p50 coursegraph gateway / Hive Gateway (${parameters.connections} conn.; one client) | ${d.p50GatewayOverHive === null ? '–' : `${fmt(d.p50GatewayOverHive, 2)}; ${fmt(d.serialP50GatewayOverHive, 2)}`} |`,
  ];
}

const eluLines = (targets: Target[], figures: CatalogFigures): string[] => [
  `| target | ${PROCESSES.map((name) => `${name} CPU ms/req`).join(' | ')} | ${ELU_SERVICES.map((name) => `${name} ELU`).join(' | ')} |`,
  `|---|${PROCESSES.map(() => '---:|').join('')}---:|---:|---:|`,
  ...targets.map((t) =>
    mdRow([
      t.label,
      ...PROCESSES.map((name) => fmt(figures.cpuPerRequest[t.name]![name], 2)),
      ...ELU_SERVICES.map((name) => fmt(figures.elu[t.name]![name], 2)),
    ]),
  ),
];

const sqlLines = (sql: SqlCount[]): string[] => [
  '| page size | edges | course subgraph | order subgraph | accounts | gateway |',
  '|---:|---:|---:|---:|---:|---:|',
  ...sql.map((c) => mdRow([c.pageSize, c.edges, c.statements.course!, c.statements.order!, c.statements.accounts!, c.statements.gateway!])),
];

const statementLines = (sql: SqlCount[]): string[] =>
  [...new Set(sql.flatMap((c) => [...c.sql.course!.map((s) => `course: ${s}`), ...c.sql.order!.map((s) => `order: ${s}`)]))].map(
    (s) => `- \`${s.slice(0, 400)}\``,
  );

const profileLines = ([profile]: ProfileSummary[]): string[] =>
  profile
    ? [
        '## Gateway CPU profile during its throughput measurement (--profile)',
        '',
        '| stage (inclusive) | % |',
        '|---|---:|',
        ...profile.stages.filter((row) => row.ms > 0).map((row) => mdRow([row.stage, fmt(row.pct, 1)])),
        '',
        `By package (self): ${profile.byArea
          .slice(0, 12)
          .map((row) => `${row.area} ${fmt(row.pct, 1)}%`)
          .join(', ')}`,
        '',
        '| function (self) | % |',
        '|---|---:|',
        ...profile.byFunction.slice(0, 15).map((row) => mdRow([`\`${row.fn}\``, fmt(row.pct, 1)])),
        '',
      ]
    : [];

/** The catalog part's tables printed at the end of a run. */
const consoleLines = (results: CatalogPart, { targets, figures }: CatalogView): string[] => [
  ...tableLines(results, targets),
  '',
  ...derivedLines(results),
  '',
  ...eluLines(targets, figures),
  '',
  ...sqlLines(results.sqlPerRequest),
  '',
  ...profileLines(results.gatewayProfiles),
];

/** The tables printed at the end of a run: the parts that ran. */
export const catalogConsole = (results: CatalogResults, view: CatalogView | null): string =>
  '\n' +
  [...(results.catalog && view ? consoleLines(results.catalog, view) : []), ...(results.search ? searchConsole(results.search) : [])].join('\n');

function catalogSection(results: CatalogPart, { targets, figures }: CatalogView): string[] {
  const { parameters: p, hive } = results;
  return [
    `${p.courses} published courses, 1–9 confirmed orders each; page of ${p.pageSize}. Medians of ${p.rounds} rounds × ${p.durationSeconds} s per target (autocannon, ${p.connections} connections, in the benchmark process); one client = ${p.serialRequests} requests one at a time, timed with performance.now(). *Distinct pages*: the same page size, each request starting after another of the first ${p.courses - p.pageSize} courses (round-robin), so concurrent requests are not identical (both gateways let identical queries in flight share one subgraph request; see the README).`,
    '',
    ...tableLines(results, targets),
    '',
    ...derivedLines(results),
    '',
    'CPU time per request of each process during the throughput measurements (client: the benchmark process running autocannon; busy = event-loop utilization):',
    '',
    ...eluLines(targets, figures),
    '',
    'version' in hive
      ? `Hive Gateway ${hive.version}: one process (\`--fork 0\`), NODE_ENV=production, defaults but for passing the client's x-coursegraph-identity header on to the subgraphs, on the same supergraph with the run's subgraph URLs.`
      : `Hive Gateway: not measured — ${hive.skipped}.`,
    '',
    '## SQL statements per catalog request',
    '',
    'One request per page size after a warm-up, services started with LOG_SQL=true (sweeper and reconciler off); statements of type `query` logged by each service during the request.',
    '',
    ...sqlLines(results.sqlPerRequest),
    '',
    ...statementLines(results.sqlPerRequest),
    '',
    ...profileLines(results.gatewayProfiles),
  ];
}

export function catalogMarkdown(results: CatalogResults, view: CatalogView | null): string {
  const { machine, problems, notes } = results;
  return [
    '# Catalog benchmark: catalog page and search through the gateway',
    '',
    `${results.startedAt}, ${results.durationSeconds} s, revision ${results.revision ?? 'unknown'}. \`${results.command}\``,
    '',
    `Services: ${results.services}.`,
    '',
    `Machine: ${describeMachine(machine)}, PostgreSQL ${machine.postgres}, load average at start ${machine.loadAverageAtStart.join(' / ')}, at end ${machine.loadAverageAtEnd.join(' / ')}. The machine is shared with other work (see the load average): compare ratios within a run rather than absolute figures across runs.`,
    '',
    ...(results.catalog && view ? catalogSection(results.catalog, view) : ['Catalog page part: not run (`--only search`).', '']),
    ...(results.search ? searchMarkdown(results.search) : ['## Search', '', 'Not run (`--skip-search` or `--only catalog`).', '']),
    ...(problems.length ? ['## Problems', '', ...mdList(problems), ''] : []),
    ...(notes.length ? ['## Notes', '', ...mdList(notes), ''] : []),
  ].join('\n');
}
