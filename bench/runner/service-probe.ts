/**
 * Preloaded into each service process the benchmark starts (a second
 * `--import`, next to the unchanged service: its compiled JavaScript,
 * bench/runner/dist/service-probe.js, with built services; this file
 * through tsx with --tsx; see service-code.ts). Over the IPC channel it
 * answers `start` and `stop` with a Meter reading of the process for the
 * phase in between, and `memory` with the process's memory now (the
 * launcher's child guard stops the service if the benchmark goes away
 * without stopping it).
 */
import { Meter } from './meter';

export type ProbeRequest = { type: 'start'; profile: boolean } | { type: 'stop' } | { type: 'memory' };

/**
 * A process's memory in MiB: resident set now and its peak since the process
 * started (getrusage's maxrss), and V8's heap used and reserved, and memory
 * outside the heap held by JavaScript objects (buffers), as
 * process.memoryUsage() and process.resourceUsage() give them.
 */
export interface MemoryReading {
  rssMiB: number;
  peakRssMiB: number;
  heapUsedMiB: number;
  heapTotalMiB: number;
  externalMiB: number;
}

const mib = (bytes: number) => Math.round((10 * bytes) / 2 ** 20) / 10;

function memory(): MemoryReading {
  const usage = process.memoryUsage();
  return {
    rssMiB: mib(usage.rss),
    // maxRSS is in KiB.
    peakRssMiB: mib(process.resourceUsage().maxRSS * 1024),
    heapUsedMiB: mib(usage.heapUsed),
    heapTotalMiB: mib(usage.heapTotal),
    externalMiB: mib(usage.external),
  };
}

const send = process.send?.bind(process);
if (send) {
  const meter = new Meter(true);
  process.on('message', (request: ProbeRequest) => {
    const answer =
      request.type === 'memory'
        ? Promise.resolve({ type: 'memory', memory: memory() })
        : request.type === 'start'
          ? meter.start(request.profile).then(() => ({ type: 'started' }))
          : meter.stop();
    answer.then(
      (message) => send(message),
      (error: unknown) => send({ type: 'error', error: String(error) }),
    );
  });
}
