/**
 * The start benchmark's report: the aim (ready in under 10 s), where the
 * time goes (phases, cold and warm median, s; CPU seconds by process),
 * each start's events (s from the spawn) and how each stopped on Ctrl-C.
 * Printed, and written as bench/results/start.md.
 */
import { describeMachine } from '../runner/results';
import { fmt, mdList, mdRow } from '../runner/report';
import { READY_AIM_MS } from './options';
import type { StartResults } from './summary';

const s = (ms: number | null | undefined) => fmt(ms === null || ms === undefined ? NaN : ms / 1000, 1);
const verdict = (met: boolean | null) => (met === null ? 'not measured' : met ? 'met' : '**missed**');

function aimLines({ aim }: StartResults): string[] {
  const line = (what: string, figure: StartResults['aim']['banner']) =>
    `- ${what}: cold ${s(figure.coldMs)} s (${verdict(figure.coldMet)}), warm median ${s(figure.warmMedianMs)} s (${verdict(figure.warmMet)})`;
  return [
    `Aim (issue 15): \`npm start\` ready in under ${READY_AIM_MS / 1000} s, from the spawn.`,
    '',
    line('gateway answers a GraphQL query', aim.gatewayAnswers),
    line('banner ("coursegraph is up")', aim.banner),
  ];
}

function phaseLines({ phases }: StartResults): string[] {
  return ['| phase | cold s | warm median s |', '|---|--:|--:|', ...phases.map((row) => mdRow([row.phase, s(row.coldMs), s(row.warmMedianMs)]))];
}

function cpuLines({ cpuAtBanner }: StartResults): string[] {
  return [
    'CPU seconds used by the banner, by process (all its threads and waited-for children; not inflated by waiting for a core, unlike the times above):',
    '',
    '| process | cold s | warm median s |',
    '|---|--:|--:|',
    ...cpuAtBanner.map((row) => mdRow([row.process, fmt(row.coldS, 1), fmt(row.warmMedianS, 1)])),
  ];
}

function eventLines({ runs }: StartResults): string[] {
  const events = [...new Set(runs.flatMap((run) => Object.keys(run.events)))].sort(
    (a, b) => (runs[0]?.events[a] ?? Infinity) - (runs[0]?.events[b] ?? Infinity),
  );
  return [
    mdRow(['event (s from the spawn)', ...runs.map((run) => `run ${run.run} (${run.kind})`)]),
    mdRow(['---', ...runs.map(() => '--:')]),
    ...events.map((event) => mdRow([event, ...runs.map((run) => s(run.events[event]))])),
    mdRow(['the banner says "up in"', ...runs.map((run) => fmt(run.bannerSaysS, 1))]),
  ];
}

function stopLines({ runs }: StartResults): string[] {
  return runs.map(({ run, kind, stop }) =>
    !stop
      ? `- run ${run} (${kind}): not started`
      : `- run ${run} (${kind}): ${stop.exitMs === null ? '**did not exit within 30 s**' : `exited ${fmt(stop.exitMs)} ms after SIGINT`} (code ${stop.exitCode}${stop.signal ? `, ${stop.signal}` : ''}), ` +
        `${stop.saidStopped ? 'printed "coursegraph stopped"' : '**did not print "coursegraph stopped"**'}, ` +
        `${stop.leftRunning.length ? `**left running: ${stop.leftRunning.join(', ')}**` : 'nothing left running'}`,
  );
}

/** What the run prints at the end. */
export const startConsole = (results: StartResults): string =>
  ['', ...aimLines(results), '', ...phaseLines(results), '', ...cpuLines(results), '', ...eventLines(results), '', ...stopLines(results), ''].join(
    '\n',
  );

export function startMarkdown(results: StartResults): string {
  const { machine, problems } = results;
  return [
    '# Start benchmark: `npm start` until ready',
    '',
    `${results.startedAt}, ${results.durationSeconds} s, revision ${results.revision ?? 'unknown'}. Command: \`${results.command}\`.`,
    '',
    `Services: ${results.services}. Run 1 is cold (a new PostgreSQL data folder, so initdb, migrations and demo data; tsx's compile cache empty); the others warm (the same folder and cache, as a second \`npm start\`).`,
    '',
    `Machine: ${describeMachine(machine)}, load average at start ${machine.loadAverageAtStart.join(' / ')}. npm start, its PostgreSQL and the run's polling share these cores.`,
    '',
    ...aimLines(results),
    '',
    '## Where the time goes',
    '',
    ...phaseLines(results),
    '',
    ...cpuLines(results),
    '',
    '## Each start',
    '',
    ...eventLines(results),
    '',
    '## Stop (Ctrl-C: SIGINT to its process group)',
    '',
    ...stopLines(results),
    '',
    ...(problems.length ? ['## Problems', '', ...mdList(problems), ''] : []),
  ].join('\n');
}
