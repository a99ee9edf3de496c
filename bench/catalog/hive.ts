/**
 * Hive Gateway 2.15.1, the peer gateway the catalog is compared with. It
 * lives only in bench/hive/ (its own package.json and lockfile, ~500 MB of
 * node_modules, git-ignored), installed on first use with `npm ci`, and runs
 * as one process (`--fork 0`), NODE_ENV=production, default settings, on
 * schema/supergraph.graphql with the run's subgraph URLs in a temp copy.
 * One setting of its own (gateway.config.mjs in the temp dir): it passes
 * the client's x-coursegraph-identity header on to the subgraphs, which in
 * production answer only callers with the gateway's assertion; the
 * benchmark sends that assertion with each request to Hive.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { IDENTITY_HEADER } from '@coursegraph/runtime';
import { freePort, sleep, withTimeout } from '@coursegraph/devkit/timing';
import type { BenchRun } from '../runner/run';
import { round } from '../runner/stats';
import { post } from './operations';

const HIVE_DIR = join(__dirname, '..', 'hive');
const HIVE_BIN = join(HIVE_DIR, 'node_modules', '@graphql-hive', 'gateway', 'package.json');
const SUPERGRAPH = join(__dirname, '..', '..', 'schema', 'supergraph.graphql');

/** Installs bench/hive on demand (npm ci from its lockfile, at most `timeoutS`); returns null when it works, else why not. */
export async function installHive(timeoutS: number, log: (line: string) => void): Promise<string | null> {
  if (existsSync(HIVE_BIN)) return null;
  const lock = existsSync(join(HIVE_DIR, 'package-lock.json'));
  log(`installing Hive Gateway into bench/hive (npm ${lock ? 'ci' : 'install'}; up to ${timeoutS} s)`);
  const started = performance.now();
  const child = spawn('npm', [lock ? 'ci' : 'install', '--no-audit', '--no-fund', '--prefix', HIVE_DIR], {
    cwd: HIVE_DIR,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit') as Promise<[number | null, string | null]>;
  try {
    const [code] = await withTimeout(exited, timeoutS * 1000, 'timeout');
    if (code !== 0) return `npm ${lock ? 'ci' : 'install'} in bench/hive exited with ${code}: ${output.trim().split('\n').slice(-5).join(' | ')}`;
  } catch {
    child.kill('SIGTERM');
    return `npm install of bench/hive took longer than ${timeoutS} s`;
  }
  log(`Hive Gateway installed in ${round((performance.now() - started) / 1000)} s`);
  return existsSync(HIVE_BIN) ? null : 'npm finished but @graphql-hive/gateway is not in bench/hive/node_modules';
}

/** Hive's configuration in `dir`, its working directory: the assertion header goes on to every subgraph. */
function writeConfig(dir: string): void {
  const header = JSON.stringify(IDENTITY_HEADER);
  writeFileSync(
    join(dir, 'gateway.config.mjs'),
    `// Written by bench/catalog/hive.ts.\nexport const gatewayConfig = {\n  propagateHeaders: { fromClientToSubgraphs: ({ request }) => ({ [${header}]: request.headers.get(${header}) }) },\n};\n`,
  );
}

/** The repository's supergraph with the run's subgraph URLs, written to `dir`; its path. */
function supergraphFor(subgraphUrls: Record<string, string>, dir: string): string {
  let supergraph = readFileSync(SUPERGRAPH, 'utf8');
  for (const [name, url] of Object.entries(subgraphUrls)) {
    const pattern = new RegExp(`(@join__graph\\(name: "${name}", url: ")[^"]*(")`);
    if (!pattern.test(supergraph)) throw new Error(`no join__graph for ${name} in schema/supergraph.graphql`);
    supergraph = supergraph.replace(pattern, `$1${url}$2`);
  }
  const file = join(dir, 'supergraph.graphql');
  writeFileSync(file, supergraph);
  return file;
}

export interface Hive {
  url: string;
  child: ChildProcess;
  version: string;
}

/** Hive Gateway on the repository's supergraph with the run's subgraph URLs, one process (no forks), production mode; resolves once it answers. */
export async function startHive(subgraphUrls: Record<string, string>, tempDir: string, log: (line: string) => void): Promise<Hive> {
  const file = supergraphFor(subgraphUrls, tempDir);
  writeConfig(tempDir);
  const port = await freePort();
  const version = (JSON.parse(readFileSync(HIVE_BIN, 'utf8')) as { version: string }).version;
  const cli = join(HIVE_DIR, 'node_modules', '.bin', 'hive-gateway');
  const child = spawn(cli, ['supergraph', file, '--host', '127.0.0.1', '--port', String(port), '--fork', '0'], {
    cwd: tempDir,
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const url = `http://127.0.0.1:${port}/graphql`;
  try {
    await waitReady(url, child, () => output);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  log(`Hive Gateway ${version} up: ${url} (pid ${child.pid})`);
  return { url, child, version };
}

/** Polls until Hive answers `{ __typename }` (at most 60 s); throws with its last output when it exits or does not answer. */
async function waitReady(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Hive Gateway exited (${child.exitCode}): ${output().slice(-800)}`);
    try {
      const result = await post(url, JSON.stringify({ query: '{ __typename }' }));
      if (result.data) return;
    } catch {
      // Not listening yet: ask again.
    }
    if (Date.now() > deadline) throw new Error(`Hive Gateway not ready within 60 s: ${output().slice(-800)}`);
    await sleep(300);
  }
}

/** Hive Gateway as measured (its version) or not (why). */
export type HiveStatus = { version: string } | { skipped: string };

/**
 * Hive Gateway for the run once `installed` (installHive's answer) is in:
 * started and held by the run (`stop` stops it earlier), or null and why not.
 */
export async function hiveForRun(run: BenchRun, installed: Promise<string | null>, subgraphUrls: Record<string, string>, tempDir: string) {
  const problem = await installed;
  if (problem) {
    run.log(`Hive Gateway not measured: ${problem}`);
    return { hive: null, status: { skipped: problem } as HiveStatus, stop: async () => undefined };
  }
  try {
    const hive = await startHive(subgraphUrls, tempDir, run.log);
    const stop = run.hold('Hive Gateway', () => stopHive(hive.child));
    return { hive, status: { version: hive.version } as HiveStatus, stop };
  } catch (error) {
    const skipped = `Hive Gateway did not start: ${String(error).slice(0, 600)}`;
    run.log(skipped);
    return { hive: null, status: { skipped } as HiveStatus, stop: async () => undefined };
  }
}

/** SIGTERM, then SIGKILL if it has not exited within 10 s. */
export async function stopHive(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  await withTimeout(once(child, 'exit'), 10_000, 'hive did not exit').catch(() => child.kill('SIGKILL'));
}
