/**
 * The benchmark's side of bench/runner/service-probe.ts: the meter of a
 * process that preloads the probe (`--import <SERVICE_PROBE>`) and has an
 * IPC channel to the benchmark (each service; the orders benchmark's
 * reference processes). start() and stop() ask the probe over IPC; stop()
 * resolves with its Reading of the phase in between (ELU 0..1, CPU ms,
 * event-loop delay ms; meter.ts) and, when started with `profile`, a CPU profile.
 */
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { withTimeout } from '@coursegraph/devkit/timing';
import type { Measured } from './meter';
import type { MemoryReading, ProbeRequest } from './service-probe';

/** Measures one process (or, in process, the one thread running every service) during a phase. */
export interface ServiceMeter {
  name: string;
  start(profile: boolean): Promise<void>;
  stop(): Promise<Measured>;
}

/** The path of service-probe.ts, for a process's `--import`. */
export const SERVICE_PROBE = join(__dirname, 'service-probe.ts');

/** One request to a process's probe at a time; the probe answers each in order. Rejects after `timeoutMs`. */
function ask<T>(name: string, child: ChildProcess, request: ProbeRequest, timeoutMs = 60_000): Promise<T> {
  const answer = new Promise<T>((resolve, reject) => {
    child.once('message', (message: { type: string; error?: string }) =>
      message.type === 'error' ? reject(new Error(`${name}: ${message.error}`)) : resolve(message as T),
    );
    child.send(request);
  });
  return withTimeout(answer, timeoutMs, `${name} did not answer ${request.type}`);
}

/** The meter of the process `child()` returns (looked up on each call: a service may have been restarted). */
export const probeMeter = (name: string, child: () => ChildProcess): ServiceMeter => ({
  name,
  start: (profile) => ask(name, child(), { type: 'start', profile }).then(() => undefined),
  stop: () => ask<Measured>(name, child(), { type: 'stop' }),
});

/** The process's memory now (RSS, heap; its probe's answer). */
export const probeMemory = async (name: string, child: ChildProcess): Promise<MemoryReading> =>
  (await ask<{ memory: MemoryReading }>(name, child, { type: 'memory' })).memory;
