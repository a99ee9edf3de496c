/**
 * How busy the calling thread (and process) was between start() and stop():
 * event-loop utilization, event-loop delay, CPU time, and optionally a V8 CPU
 * profile. Runs inside each service process (bench/runner/service-probe.ts), in the
 * subscribers' worker thread, and, with --in-process, on the servers' thread.
 */
import { Session } from 'node:inspector';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { CpuProfile } from './profile';

export interface Reading {
  wallMs: number;
  /** Share of the wall time the event loop was busy (0..1). */
  elu: number;
  /** CPU time of the whole process (all its threads); NaN when the process is not only what is measured. */
  cpuMs: number;
  loopDelayMs: { p50: number; p99: number; max: number };
}

export interface Measured {
  reading: Reading;
  profile: CpuProfile | null;
}

/** Starts V8's sampling profiler on the calling thread; the returned function stops it and hands back the profile. */
async function startProfiler(intervalUs = 1_000): Promise<() => Promise<CpuProfile>> {
  const session = new Session();
  session.connect();
  const post = <T>(method: string, params?: object) =>
    new Promise<T>((resolve, reject) => session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result as T))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: intervalUs });
  await post('Profiler.start');
  return async () => {
    const { profile } = await post<{ profile: CpuProfile }>('Profiler.stop');
    session.disconnect();
    return profile;
  };
}

export class Meter {
  private elu = performance.eventLoopUtilization();
  private cpu = process.cpuUsage();
  private wall = performance.now();
  private readonly loopDelay = monitorEventLoopDelay({ resolution: 10 });
  private stopProfiler: (() => Promise<CpuProfile>) | null = null;

  /** `countCpu`: whether process CPU time is this thread's (false in a worker thread or a shared process). */
  constructor(private readonly countCpu: boolean) {}

  async start(profile: boolean): Promise<void> {
    this.loopDelay.reset();
    this.loopDelay.enable();
    if (profile) this.stopProfiler = await startProfiler();
    this.elu = performance.eventLoopUtilization();
    this.cpu = process.cpuUsage();
    this.wall = performance.now();
  }

  async stop(): Promise<Measured> {
    const wallMs = performance.now() - this.wall;
    const cpu = process.cpuUsage(this.cpu);
    const elu = performance.eventLoopUtilization(this.elu).utilization;
    this.loopDelay.disable();
    const ms = (ns: number) => ns / 1e6;
    const reading: Reading = {
      wallMs,
      elu,
      cpuMs: this.countCpu ? (cpu.user + cpu.system) / 1000 : NaN,
      loopDelayMs: { p50: ms(this.loopDelay.percentile(50)), p99: ms(this.loopDelay.percentile(99)), max: ms(this.loopDelay.max) },
    };
    const profile = this.stopProfiler ? await this.stopProfiler() : null;
    this.stopProfiler = null;
    return { reading, profile };
  }
}
