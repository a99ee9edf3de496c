/**
 * One start of `npm start` timed (npm-start.ts): besides its output lines,
 * every 50 ms until its banner the run asks the gateway a GraphQL query
 * (`{ __typename }` over HTTP) and the storefront GET /, and marks when each
 * first answers; at the banner it reads the CPU time its processes used;
 * then it stops it and checks the stop.
 */
import { performance } from 'node:perf_hooks';
import { sleep } from '@coursegraph/devkit/timing';
import { NpmStart, type StopCheck } from './npm-start';

/** What the run saw of one start: events in ms from the spawn (absent: not seen), the banner's own figure, the stop. */
export interface StartTiming {
  run: number;
  kind: 'cold' | 'warm';
  events: Record<string, number>;
  /** The banner's "up in X s" (counted by the start script from its main, after npm and tsx loaded it), s. */
  bannerSaysS: number | null;
  /** CPU seconds its processes had used by the banner, by process (cpu.ts); null without it. */
  cpuAtBannerS: Record<string, number> | null;
  stop: StopCheck | null;
  failure: string | null;
  /** The last lines it printed, when it failed. */
  outputTail: string[];
}

/** Whether `url` answers 2xx (with `body`: a POST of that JSON, answered with a GraphQL `data`). */
async function answers(url: string, body?: string): Promise<boolean> {
  try {
    const response = await fetch(url, {
      method: body ? 'POST' : 'GET',
      headers: body ? { 'content-type': 'application/json' } : {},
      body,
      signal: AbortSignal.timeout(1_000),
    });
    return response.ok && (!body || 'data' in ((await response.json()) as object));
  } catch {
    return false;
  }
}

/** Polls the gateway (a GraphQL query) and the storefront (GET /) every 50 ms until the banner; throws when npm start exits first or `timeoutMs` passes. */
async function pollUntilUp(start: NpmStart, ports: { gateway: number; storefront: number }, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  const probes = [
    { event: 'gateway answers GraphQL', url: `http://127.0.0.1:${ports.gateway}/graphql`, body: JSON.stringify({ query: '{ __typename }' }) },
    { event: 'storefront answers', url: `http://localhost:${ports.storefront}/` },
  ];
  while (start.events.banner === undefined) {
    if (!start.running) throw new Error('npm start exited before its banner');
    if (performance.now() > deadline) throw new Error(`no banner within ${timeoutMs / 1000} s`);
    const pending = probes.filter(({ event }) => start.events[event] === undefined);
    await Promise.all(pending.map(async ({ event, url, body }) => (await answers(url, body)) && start.mark(event)));
    await sleep(50);
  }
}

/**
 * Starts npm start (`kind` says whether `dirs` are new), times it until its
 * banner, stops it and checks the stop. `hold` registers its clean-up with
 * the run (BenchRun.hold), for an interrupted run.
 */
export async function timeStart(
  run: number,
  kind: StartTiming['kind'],
  dirs: { data: string; tmp: string },
  timeoutMs: number,
  hold: (release: () => void) => () => Promise<void>,
): Promise<StartTiming> {
  const start = new NpmStart();
  const release = hold(() => start.kill());
  let failure: string | null = null;
  let stop: StartTiming['stop'] = null;
  let cpuAtBannerS: StartTiming['cpuAtBannerS'] = null;
  try {
    const ports = await start.spawn(dirs.data, dirs.tmp);
    try {
      await pollUntilUp(start, ports, timeoutMs);
      // The banner's last line (its processes) comes with it: read once it is in.
      await sleep(100);
      cpuAtBannerS = start.cpuSeconds();
    } catch (error) {
      failure = String(error);
    }
    stop = await start.stop(ports.postgres);
  } catch (error) {
    failure ??= String(error);
  }
  await release();
  if (stop && (stop.exitMs === null || !stop.saidStopped || stop.leftRunning.length))
    failure ??= `did not stop cleanly on SIGINT: ${JSON.stringify(stop)}`;
  const banner = /coursegraph is up in ([\d.]+) s/.exec(start.lines.join('\n'));
  return {
    run,
    kind,
    events: start.events,
    bannerSaysS: banner ? Number(banner[1]) : null,
    cpuAtBannerS,
    stop,
    failure,
    outputTail: failure ? start.lines.slice(-30) : [],
  };
}
