/**
 * The subscriptions benchmark's report (bench/results/subscriptions.md, and
 * what is printed at the end): the aim, direct vs gateway medians over the
 * rounds with gateway / direct ratios, the rate sweep and its chart, the
 * per-phase table, the CPU profiles (--profile), the problems and notes,
 * and the command that repeats the run.
 */
import { join, relative } from 'node:path';
import { describeMachine } from '../runner/results';
import { fmt, mdRow } from '../runner/report';
import { phaseName, type PhaseResult } from './figures';
import { profileText } from './profiles';
import { serviceNames, type Summary, type SubscriptionsResults } from './summary';
import { highestText, sweepMarkdown, sweepTable } from './sweep';

const REPO = join(__dirname, '..', '..');

/** `gateway / direct` as `1.23×`; `–` when either is missing. */
const times = (gateway: number | undefined, direct: number | undefined) =>
  gateway !== undefined && direct !== undefined && Number.isFinite(gateway) && Number.isFinite(direct) && direct > 0
    ? `${(gateway / direct).toFixed(2)}×`
    : '–';

/** A row of the direct vs gateway table: its label, its cell from a path's summary, and the figure whose gateway / direct ratio it shows. */
interface Row {
  label: string;
  cell: (summary: Summary) => string;
  ratioOf?: string;
}

const figure = (label: string, key: string, digits = 0): Row => ({ label, cell: (s) => fmt(s[key], digits) });
/** A figure with its gateway / direct ratio. */
const compared = (label: string, key: string, digits = 0): Row => ({ ...figure(label, key, digits), ratioOf: key });
const pair = (label: string, a: string, b: string): Row => ({ label, cell: (s) => `${fmt(s[a])} / ${fmt(s[b])}` });

function rows(names: string[]): Row[] {
  return [
    ...(['p50', 'p90', 'p99', 'max'] as const).map((key) => compared(`latency ${key} (ms)`, key)),
    compared('first subscriber per event, p50 (ms)', 'firstP50'),
    compared('last subscriber per event, p50 (ms)', 'lastP50'),
    compared('last subscriber per event, p99 (ms)', 'lastP99'),
    pair('commit + NOTIFY floor p50 / p99 (ms)', 'pgNotifyP50', 'pgNotifyP99'),
    compared('drain after last order (ms)', 'drainMs'),
    pair('order round trip p50 / p99 (ms)', 'orderP50', 'orderP99'),
    figure('orders/s achieved', 'achievedRate', 1),
    figure('gateway topics (upstream subscriptions) of the N subscribers', 'topics'),
    compared('deliveries/s (N × events/s)', 'deliveriesPerSecond'),
    ...names.flatMap((name): Row[] => [
      { label: `${name}: busy (ELU) / CPU (% of a core)`, cell: (s) => `${fmt(s[`elu ${name}`], 2)} / ${fmt(s[`cpu ${name}`])}` },
      compared(`${name}: event-loop delay p99 (ms)`, `delay ${name}`),
    ]),
    compared('services busy ms per 1000 deliveries', 'busyPer1000', 1),
    compared('services CPU ms per 1000 deliveries', 'cpuPer1000', 1),
    figure('client thread busy (ELU)', 'clientElu', 2),
    figure('client event-loop delay p99 (ms)', 'clientLoopDelayP99'),
    pair('events expected / received (per phase)', 'expected', 'received'),
    { label: 'lost / out of order / duplicates (worst phase)', cell: (s) => `${s.lost} / ${s.outOfOrder} / ${s.duplicates}` },
  ];
}

/** The rounds' medians: a column per path run in them, and gateway / direct when both were. */
function table({ phases, medians: { direct, gateway } }: SubscriptionsResults): string {
  const columns = [
    ...(direct ? [{ title: 'direct (course subgraph)', summary: direct }] : []),
    ...(gateway ? [{ title: 'through the gateway', summary: gateway }] : []),
  ];
  const both = direct && gateway;
  const lines = [
    mdRow(['', ...columns.map((column) => column.title), ...(both ? ['gateway / direct'] : [])]),
    `|---|${columns.map(() => '---:|').join('')}${both ? '---:|' : ''}`,
  ];
  const rounds = phases.filter((phase) => phase.part === 'rounds');
  for (const row of rows(serviceNames(phases))) {
    const ratio = both ? [row.ratioOf ? times(gateway[row.ratioOf], direct[row.ratioOf]) : ''] : [];
    lines.push(mdRow([row.label, ...columns.map((column) => row.cell(column.summary)), ...ratio]));
  }
  return rounds.length ? lines.join('\n') : 'No rounds were run (--rounds 0).';
}

/** One row per phase: where it ran, its latencies, rates, drain, checks and load. */
function phasesTable(phases: PhaseResult[]): string {
  const names = serviceNames(phases);
  const lines = [
    `| phase | orders/s offered / achieved | p50 | p90 | p99 | max | first p50 | last p99 | drain ms | lost | out of order | dup | ${names.map((name) => `${name} ELU / CPU %`).join(' | ')} | client ELU |`,
    `|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|${names.map(() => '---:|').join('')}---:|`,
  ];
  for (const phase of phases) {
    const { latencyMs: l, events: e } = phase;
    const load = names.map((name) => `${fmt(phase.load.services[name]!.elu, 2)} / ${fmt(phase.load.services[name]!.cpuPct)}`);
    const cells = [
      phaseName(phase),
      `${phase.rate} / ${fmt(phase.orders.achievedRate, 1)}`,
      ...[l.p50, l.p90, l.p99, l.max, phase.firstDeliveryMs.p50, phase.lastDeliveryMs.p99].map((ms) => fmt(ms)),
      phase.drainMs,
      e.lost,
      e.outOfOrder,
      e.duplicates,
    ];
    lines.push(mdRow([...cells, ...load, fmt(phase.load.clientThreadElu, 2)]));
  }
  return lines.join('\n');
}

/** The aim's verdict: the gateway's median p99 over the rounds against the limit, at the rounds' N and rate. */
function aimText({ aim, parameters: p, sweep }: SubscriptionsResults): string {
  const verdict = !aim ? 'not measured (no gateway rounds)' : `${aim.met ? '**met**' : '**missed**'}: p99 ${fmt(aim.p99)} ms (median of rounds)`;
  const highest = sweep.gateway ? `; the sweep's highest rate with p99 under ${p.limitMs} ms through the gateway: ${highestText(sweep.gateway)}` : '';
  return `Aim (issue 15): through the gateway, p99 under ${p.limitMs} ms at N = ${p.subscribers} and ${p.rate} orders/s, nothing lost or out of order — ${verdict}${highest}.`;
}

/** The Markdown summary; `jsonPath` is where the JSON goes, named relative to the repository; `chartFile` the sweep's SVG, beside it. */
export function subscriptionsMarkdown(results: SubscriptionsResults, jsonPath: string, chartFile: string | null): string {
  const { machine, parameters: p, problems, notes } = results;
  return [
    '# Subscriptions benchmark: live seat counts',
    '',
    `${results.startedAt}, ${results.durationSeconds} s, revision ${results.revision ?? 'unknown'}${p.profiled ? ' — **profiled run: the profiler slows the services, do not compare these figures with unprofiled runs**' : ''}`,
    '',
    `Services: ${results.services}. Clients: the subscribers in one worker thread and the orders (plus a plain \`LISTEN\` probe) in another, in the benchmark process.`,
    '',
    `N = ${p.subscribers} subscribers on ${p.connections} websockets${p.gateways > 1 ? ` spread over ${p.gateways} gateway processes` : ''}, M = ${p.orders} orders per phase at ${p.rate}/s (≤ ${p.concurrency} in flight), ${p.rounds} round(s) of ${p.roundModes.join(' and ')} (${p.roundModes.length > 1 ? 'ABBA order, ' : ''}fresh course per phase); medians over rounds. Latency = subscriber's receive time − \`changedAt\` (PostgreSQL \`clock_timestamp()\` in the counter UPDATE), for each of the M events (PURCHASED: one per order) every subscriber receives; CURRENT is not timed.`,
    '',
    `Machine: ${describeMachine(machine)}, PostgreSQL ${machine.postgres}, load average at start ${machine.loadAverageAtStart.join(' / ')}.`,
    '',
    aimText(results),
    '',
    `## The rounds at ${p.rate} orders/s`,
    '',
    table(results),
    '',
    `Result: ${problems.length === 0 ? '**OK** — no event lost, none out of order, no duplicates.' : `**FAILED**\n\n${problems.map((problem) => `- ${problem}`).join('\n')}`}`,
    '',
    ...(notes.length ? [notes.map((note) => `> ${note}`).join('\n>\n'), ''] : []),
    ...(chartFile ? sweepMarkdown(results.sweep, results.parameters, chartFile) : []),
    '## Per phase',
    '',
    phasesTable(results.phases),
    '',
    profileText(results.phases),
    '## Reproduce',
    '',
    '```sh',
    results.command,
    '```',
    '',
    `Full figures: \`${relative(REPO, jsonPath)}\`. How to read them: \`bench/README.md\`.`,
    '',
  ].join('\n');
}

/** What the run prints at the end: the table, the ratios, the sweep, the aim and, with --profile, each service's profile. */
export function subscriptionsConsole(results: SubscriptionsResults): string {
  const { direct, gateway } = results.medians;
  const lines = [`\n${table(results)}\n`];
  if (direct && gateway) lines.push(`gateway / direct: p50 ${times(gateway.p50, direct.p50)}, p99 ${times(gateway.p99, direct.p99)}\n`);
  lines.push(...sweepTable(results.sweep, results.parameters.limitMs), '', aimText(results));
  for (const phase of results.phases.filter((one) => one.profile)) {
    for (const [name, summary] of Object.entries(phase.profile!.services)) {
      lines.push(
        `\nprofile ${phaseName(phase)}, ${name}: ${summary.byArea
          .slice(0, 8)
          .map((row) => `${row.area} ${row.pct}%`)
          .join(', ')}`,
      );
      for (const row of summary.stages.filter((one) => one.ms > 0)) lines.push(`  ${String(row.pct).padStart(5)}%  ${row.stage}`);
      lines.push('  top functions (self):');
      for (const row of summary.byFunction.slice(0, 10)) lines.push(`  ${String(row.pct).padStart(5)}%  ${row.fn}`);
    }
    lines.push(`  files: ${phase.profile!.files.join(' ')}`);
  }
  return lines.join('\n');
}
