/**
 * The subscriptions benchmark's report (bench/results/subscriptions.md, and
 * what is printed at the end): direct vs gateway medians with gateway /
 * direct ratios, the per-round table, the CPU profiles (--profile), the
 * problems and notes, and the command that repeats the run.
 */
import { join, relative } from 'node:path';
import { describeMachine } from '../runner/results';
import { fmt, mdRow } from '../runner/report';
import type { PhaseResult } from './phase';
import { serviceNames, type Summary, type SubscriptionsResults } from './summary';

const REPO = join(__dirname, '..', '..');

/** `gateway / direct` as `1.23×`; `–` when either is missing. */
const times = (gateway: number | undefined, direct: number | undefined) =>
  gateway !== undefined && direct !== undefined && Number.isFinite(gateway) && Number.isFinite(direct) && direct > 0 ? `${(gateway / direct).toFixed(2)}×` : '–';

type Row = [label: string, key: string, digits: number, ratio: boolean];

function rows(names: string[]): Row[] {
  return [
    ['latency p50 (ms)', 'p50', 0, true],
    ['latency p90 (ms)', 'p90', 0, true],
    ['latency p99 (ms)', 'p99', 0, true],
    ['latency max (ms)', 'max', 0, true],
    ['first subscriber per event, p50 (ms)', 'firstP50', 0, true],
    ['last subscriber per event, p50 (ms)', 'lastP50', 0, true],
    ['last subscriber per event, p99 (ms)', 'lastP99', 0, true],
    ['commit + NOTIFY floor p50 / p99 (ms)', 'pgNotify', 0, false],
    ['drain after last order (ms)', 'drainMs', 0, true],
    ['order round trip p50 / p99 (ms)', 'order', 0, false],
    ['orders/s achieved', 'achievedRate', 1, false],
    ['deliveries/s (N × events/s)', 'deliveriesPerSecond', 0, true],
    ...names.flatMap((name): Row[] => [
      [`${name}: busy (ELU) / CPU (% of a core)`, `load ${name}`, 0, false],
      [`${name}: event-loop delay p99 (ms)`, `delay ${name}`, 0, true],
    ]),
    ['services busy ms per 1000 deliveries', 'busyPer1000', 1, true],
    ['services CPU ms per 1000 deliveries', 'cpuPer1000', 1, true],
    ['client thread busy (ELU)', 'clientElu', 2, false],
    ['client event-loop delay p99 (ms)', 'clientLoopDelayP99', 0, false],
    ['events expected / received (per phase)', 'events', 0, false],
    ['lost / out of order / duplicates (worst phase)', 'integrity', 0, false],
  ];
}

function cell(summary: Summary | null, key: string, digits: number): string {
  if (!summary) return '–';
  if (key === 'pgNotify') return `${fmt(summary.pgNotifyP50)} / ${fmt(summary.pgNotifyP99)}`;
  if (key === 'order') return `${fmt(summary.orderP50)} / ${fmt(summary.orderP99)}`;
  if (key === 'events') return `${fmt(summary.expected)} / ${fmt(summary.received)}`;
  if (key === 'integrity') return `${summary.lost} / ${summary.outOfOrder} / ${summary.duplicates}`;
  if (key.startsWith('load ')) return `${fmt(summary[`elu ${key.slice(5)}`], 2)} / ${fmt(summary[`cpu ${key.slice(5)}`])}`;
  return fmt(summary[key], digits);
}

/** Direct vs gateway, medians over rounds. */
function table({ phases, medians: { direct, gateway } }: SubscriptionsResults): string {
  const lines = ['| | direct (course subgraph) | through the gateway | gateway / direct |', '|---|---:|---:|---:|'];
  for (const [label, key, digits, withRatio] of rows(serviceNames(phases))) {
    const r = withRatio && direct && gateway ? times(gateway[key], direct[key]) : '';
    lines.push(mdRow([label, cell(direct, key, digits), cell(gateway, key, digits), r]));
  }
  return lines.join('\n');
}

function roundsTable(phases: PhaseResult[]): string {
  const names = serviceNames(phases);
  const lines = [
    `| round | path | p50 | p90 | p99 | max | first p50 | last p99 | orders/s | drain ms | lost | out of order | dup | ${names.map((name) => `${name} ELU / CPU %`).join(' | ')} | client ELU |`,
    `|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|${names.map(() => '---:|').join('')}---:|`,
  ];
  for (const phase of phases) {
    const { latencyMs: l, events: e } = phase;
    const load = names.map((name) => `${fmt(phase.load.services[name]!.elu, 2)} / ${fmt(phase.load.services[name]!.cpuPct)}`);
    const cells = [phase.round, phase.mode, fmt(l.p50), fmt(l.p90), fmt(l.p99), fmt(l.max), fmt(phase.firstDeliveryMs.p50), fmt(phase.lastDeliveryMs.p99), fmt(phase.orders.achievedRate, 1), phase.drainMs, e.lost, e.outOfOrder, e.duplicates];
    lines.push(mdRow([...cells, ...load, fmt(phase.load.clientThreadElu, 2)]));
  }
  return lines.join('\n');
}

function profileText(phases: PhaseResult[]): string {
  const profiled = phases.filter((phase) => phase.profile);
  if (profiled.length === 0) return '';
  const parts = [
    '## CPU profiles of the services',
    '',
    "Stages are inclusive (the stage's function anywhere on the sampled stack; async continuations start a new stack, so stages overlap only where calls are synchronous); stages a service never entered are left out. Functions are self time.",
    '',
  ];
  for (const phase of profiled) {
    const { services, client, files } = phase.profile!;
    for (const [name, summary] of Object.entries(services)) {
      parts.push(`### round ${phase.round}, ${phase.mode}: ${name} (${fmt(summary.totalMs)} ms sampled)`, '');
      parts.push('| stage | ms | % |', '|---|---:|---:|', ...summary.stages.filter((row) => row.ms > 0).map((row) => mdRow([row.stage, fmt(row.ms), fmt(row.pct, 1)])), '');
      parts.push('| function (self) | ms | % |', '|---|---:|---:|', ...summary.byFunction.slice(0, 10).map((row) => mdRow([`\`${row.fn}\``, fmt(row.ms), fmt(row.pct, 1)])), '');
      parts.push(`By package (self): ${summary.byArea.slice(0, 10).map((row) => `${row.area} ${fmt(row.pct, 1)}%`).join(', ')}`, '');
    }
    if (client) parts.push(`Client thread (self): ${client.byArea.slice(0, 6).map((row) => `${row.area} ${fmt(row.pct, 1)}%`).join(', ')}`, '');
    parts.push(`Profiles (open in Chrome DevTools or speedscope): ${files.map((file) => `\`${file}\``).join(', ')}`, '');
  }
  return parts.join('\n');
}

/** The Markdown summary; `jsonPath` is where the JSON goes, named relative to the repository. */
export function subscriptionsMarkdown(results: SubscriptionsResults, jsonPath: string): string {
  const { machine, parameters: p, problems, notes } = results;
  return [
    '# Subscriptions benchmark: live seat counts',
    '',
    `${results.startedAt}, ${results.durationSeconds} s, revision ${results.revision ?? 'unknown'}${p.profiled ? ' — **profiled run: the profiler slows the services, do not compare these figures with unprofiled runs**' : ''}`,
    '',
    `Services: ${results.services}. Clients: the subscribers in one worker thread and the orders (plus a plain \`LISTEN\` probe) in another, in the benchmark process.`,
    '',
    `N = ${p.subscribers} subscribers on ${p.connections} websockets, M = ${p.orders} orders per phase at ${p.rate}/s (≤ ${p.concurrency} in flight), ${p.rounds} round(s) of each path (ABBA order, fresh course per phase); medians over rounds. Latency = subscriber's receive time − \`changedAt\` (PostgreSQL \`clock_timestamp()\` in the counter UPDATE), for each of the 2 × M events (RESERVED, CONFIRMED) every subscriber receives; CURRENT is not timed.`,
    '',
    `Machine: ${describeMachine(machine)}, PostgreSQL ${machine.postgres}, load average at start ${machine.loadAverageAtStart.join(' / ')}.`,
    '',
    table(results),
    '',
    `Result: ${problems.length === 0 ? '**OK** — no event lost, none out of order, no duplicates.' : `**FAILED**\n\n${problems.map((problem) => `- ${problem}`).join('\n')}`}`,
    '',
    ...(notes.length ? [notes.map((note) => `> ${note}`).join('\n>\n'), ''] : []),
    '## Per round',
    '',
    roundsTable(results.phases),
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

/** What the run prints at the end: the table, the ratios and, with --profile, each service's profile. */
export function subscriptionsConsole(results: SubscriptionsResults): string {
  const { direct, gateway } = results.medians;
  const lines = [`\n${table(results)}\n`];
  if (direct && gateway) lines.push(`gateway / direct: p50 ${times(gateway.p50, direct.p50)}, p99 ${times(gateway.p99, direct.p99)}`);
  for (const phase of results.phases.filter((one) => one.profile)) {
    for (const [name, summary] of Object.entries(phase.profile!.services)) {
      lines.push(`\nprofile round ${phase.round} ${phase.mode}, ${name}: ${summary.byArea.slice(0, 8).map((row) => `${row.area} ${row.pct}%`).join(', ')}`);
      for (const row of summary.stages.filter((one) => one.ms > 0)) lines.push(`  ${String(row.pct).padStart(5)}%  ${row.stage}`);
      lines.push('  top functions (self):');
      for (const row of summary.byFunction.slice(0, 10)) lines.push(`  ${String(row.pct).padStart(5)}%  ${row.fn}`);
    }
    lines.push(`  files: ${phase.profile!.files.join(' ')}`);
  }
  return lines.join('\n');
}
