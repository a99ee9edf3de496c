/**
 * Live seat counts under load: N subscribers of one course's seatsChanged,
 * M orders placed through the gateway at a fixed rate, and how long each
 * change takes from the counter UPDATE in PostgreSQL (the event's changedAt)
 * to each subscriber. Measured through the gateway and, as the baseline,
 * directly on the course subgraph's websocket, alternately, on services of
 * its own: one process per service, from built JavaScript (--tsx: from
 * sources; --in-process: the tests' one-thread stack). First ABBA rounds at
 * the aim's rate (issue 15: p99 under 50 ms at N = 1,000 and 20 orders/s
 * through the gateway), then a rate sweep for the highest rate that keeps
 * p99 under the limit, with its chart. The parts are in
 * bench/subscriptions/; see bench/README.md, "subscriptions".
 *
 *   npm run bench:subscriptions -- --subscribers 1000 --orders 160 --rate 20 --sweep 5,10,20,40,80
 */
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { SEAT_EVENTS_CHANNEL } from '@coursegraph/course';
import { abbaRounds } from './runner/measure';
import { findPostgres } from './runner/postgres';
import { fmt } from './runner/report';
import { loadAverage, machineInfo, writeResults } from './runner/results';
import { runBenchmark, type BenchRun } from './runner/run';
import { InProcessStack, ServiceProcesses } from './runner/services';
import { sweepChart } from './subscriptions/chart';
import { startClients } from './subscriptions/clients';
import { phaseName, type PhaseResult } from './subscriptions/figures';
import { subscriptionsOptions, type Mode } from './subscriptions/options';
import { runPhase, type Context } from './subscriptions/phase';
import { subscriptionsConsole, subscriptionsMarkdown } from './subscriptions/report';
import { subscriptionsResults } from './subscriptions/summary';
import { runSweep } from './subscriptions/sweep';

const options = subscriptionsOptions(process.argv.slice(2));
const modes: Mode[] = options.only ? [options.only] : ['direct', 'gateway'];
const { roundModes, sweepModes } = options;

/** The services and the two client threads, held by the run; profiling stays off until after the warm-up. */
async function setUp(run: BenchRun): Promise<{ context: Context; postgres: string }> {
  const pg = await findPostgres(run.log);
  run.hold('PostgreSQL', () => pg.stop());
  const serviceOptions = { maxSubscriptionsPerConnection: options.subscriptionsPerConnection, gateways: options.gateways, log: run.log };
  const services = options.inProcess ? new InProcessStack(pg.url, serviceOptions) : new ServiceProcesses(pg.url, serviceOptions);
  run.hold('the services', () => services.stop());
  await services.start();
  const subscribers = await startClients(run, { role: 'subscribers' });
  const driver = await startClients(run, { role: 'driver', databaseUrl: services.courseDatabaseUrl, channel: SEAT_EVENTS_CHANNEL });
  return { context: { options, services, subscribers, driver, profileDir: null }, postgres: pg.kind };
}

const describe = (phase: PhaseResult): string => {
  const { latencyMs: l, events: e, orders, drainMs, load } = phase;
  return (
    `${phaseName(phase).padEnd(20)} p50 ${fmt(l.p50)} p90 ${fmt(l.p90)} p99 ${fmt(l.p99)} max ${fmt(l.max)} ms | ` +
    `received ${e.received}/${e.expected} lost ${e.lost} ooo ${e.outOfOrder} dup ${e.duplicates} | ` +
    `orders ${orders.confirmed}/${orders.placed} at ${orders.achievedRate}/s | drain ${drainMs} ms | ` +
    `ELU ${Object.entries(load.services)
      .map(([name, service]) => `${name} ${service.elu}`)
      .join(', ')}, client ${load.clientThreadElu}`
  );
};

/** Warm-up phases (not recorded: JIT, query plans, connection pools), then the ABBA rounds at --rate, then the sweep. */
async function runPhases(context: Context, phases: PhaseResult[], startedAt: Date, log: (line: string) => void): Promise<void> {
  const { subscribers, orders } = options.warmUp;
  const connections = Math.min(options.connections, subscribers);
  for (const mode of modes) await runPhase(context, { mode, part: 'warm-up', round: 0, subscribers, connections, orders, rate: options.rate });
  log('warm-up done');
  if (options.profile) {
    context.profileDir = join(os.tmpdir(), `coursegraph-bench-profiles-${startedAt.toISOString().replace(/[:.]/g, '-')}`);
    mkdirSync(context.profileDir, { recursive: true });
  }
  // ABBA order, so a drift in the machine's load does not favour one path.
  for (const { round, order } of abbaRounds(options.rounds, roundModes)) {
    for (const mode of order) {
      const { subscribers: n, connections: k, orders: m, rate } = options;
      const phase = await runPhase(context, { mode, part: 'rounds', round, subscribers: n, connections: k, orders: m, rate });
      phases.push(phase);
      log(describe(phase));
    }
  }
  phases.push(...(await runSweep(context, sweepModes, (phase) => log(describe(phase)))));
}

async function main(run: BenchRun): Promise<number> {
  const startedAt = new Date();
  const loadAverageAtStart = loadAverage();
  const o = options;
  run.log(
    `N=${o.subscribers} subscribers on ${o.connections} connections, M=${o.orders} orders at ${o.rate}/s (≤${o.concurrency} in flight), ${o.rounds} round(s) of ${roundModes.join(' + ')}, ` +
      `sweep ${o.sweep.join(', ') || 'none'} orders/s, services ${o.inProcess ? 'in this process' : 'one process each'}`,
  );
  const phases: PhaseResult[] = [];
  let failure: string | null = null;
  let postgres: string | null = null;
  try {
    const { context, postgres: kind } = await setUp(run);
    postgres = kind;
    await runPhases(context, phases, startedAt, run.log);
  } catch (error) {
    failure = error instanceof Error ? (error.stack ?? error.message) : String(error);
    if (!run.aborted) run.log(`FAILED: ${failure}`);
  }
  await run.cleanup();
  if (run.aborted) return 130; // abort() exits once the cleanup is done; an interrupted run writes no results

  const results = subscriptionsResults(options, startedAt, machineInfo({ loadAverageAtStart, postgres }), phases, failure);
  const jsonPath = join(options.out, 'subscriptions.json');
  const svg = sweepChart(results.sweep, options) ?? undefined;
  const md = subscriptionsMarkdown(results, jsonPath, svg ? 'subscriptions.svg' : null);
  const written = writeResults(options.out, 'subscriptions', { json: results, md, svg });
  console.log(subscriptionsConsole(results));
  console.log(`\nwrote ${written.join(' and ')} (${results.durationSeconds} s)`);
  for (const note of results.notes) console.log(`\nnote: ${note}`);
  if (results.problems.length) console.log(`\nFAILED:\n${results.problems.map((problem) => `  - ${problem}`).join('\n')}`);
  return results.problems.length ? 1 : 0;
}

runBenchmark(main, options.maxSeconds);
