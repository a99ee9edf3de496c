/**
 * `npm start` run as a user runs it: in the repository, in a process group
 * of its own (a terminal's foreground job), with the environment the tests
 * give it (packages/devkit/src/start-env.ts: PATH, free ports) and no
 * database URL, so it runs its embedded PostgreSQL, here in the run's data
 * folder (EMBEDDED_POSTGRES_DIR), plus HOME, LOG_LEVEL=info (the default,
 * for the services' `ready` lines) and TMPDIR (where tsx caches what it
 * compiled). Its output lines mark events, in ms from the spawn: the start
 * script's `Starting embedded PostgreSQL` and `Embedded PostgreSQL ready`,
 * each service's JSON `... ready` and demo data lines, the banner. stop()
 * sends Ctrl-C as a terminal does (SIGINT to the group) and checks that it
 * printed `coursegraph stopped`, exited within 30 s and left none of its
 * processes (the banner's `Processes:` line) nor PostgreSQL's port behind;
 * whatever is left is killed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { npmStartEnv } from '@coursegraph/devkit/start-env';
import { freePort, sleep, withTimeout } from '@coursegraph/devkit/timing';
import { round } from '../runner/stats';
import { treeCpuSeconds } from './cpu';

const root = join(__dirname, '..', '..');

/** How a stop went: ms from SIGINT until npm exited (null: not within 30 s), its exit, and what was left running. */
export interface StopCheck {
  exitMs: number | null;
  exitCode: number | null;
  signal: string | null;
  saidStopped: boolean;
  leftRunning: string[];
}

/** The event an output line marks, if any. */
function eventOf(line: string): string | null {
  if (line.startsWith('Starting embedded PostgreSQL')) return 'start script running';
  if (line.startsWith('Embedded PostgreSQL ready')) return 'PostgreSQL ready';
  if (line.startsWith('coursegraph is up in')) return 'banner';
  if (!line.startsWith('{')) return null;
  try {
    const { service, msg } = JSON.parse(line) as { service?: string; msg?: string };
    if (msg === `${service} ready` || msg === `${service} subgraph ready`) return `${service} ready`;
    if (msg === 'loaded demo catalog' || msg === 'created demo accounts') return `${service} ${msg}`;
  } catch {
    // Not a log line after all.
  }
  return null;
}

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('error', () => resolve(false));
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
  });

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** `npm start` running: its process group, output lines, events. */
export class NpmStart {
  readonly events: Record<string, number> = {};
  readonly lines: string[] = [];
  private child: ChildProcess | null = null;
  private t0 = 0;
  private exited: Promise<unknown> = Promise.resolve();

  /** Spawns `npm start` with its embedded PostgreSQL in `dataDir` and TMPDIR `tmpDir`; resolves with its ports. */
  async spawn(dataDir: string, tmpDir: string): Promise<{ gateway: number; storefront: number; postgres: number }> {
    const postgres = await freePort();
    const { env, ports } = await npmStartEnv(null, {
      HOME: process.env.HOME,
      LOG_LEVEL: 'info',
      EMBEDDED_POSTGRES_DIR: dataDir,
      EMBEDDED_POSTGRES_PORT: String(postgres),
      TMPDIR: tmpDir,
    });
    this.t0 = performance.now();
    const child = spawn('npm', ['start'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    this.child = child;
    this.exited = once(child, 'exit').catch(() => undefined);
    for (const stream of [child.stdout!, child.stderr!])
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
        this.lines.push(line);
        const event = eventOf(line);
        if (event) this.mark(event);
      });
    return { gateway: ports.gateway, storefront: ports.storefront, postgres };
  }

  /** Records `event` at its first occurrence, ms since the spawn. */
  mark(event: string): void {
    this.events[event] ??= round(performance.now() - this.t0, 0);
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The processes the banner lists (`Processes: accounts 123, ...`), by pid. */
  listedProcesses(): Map<number, string> {
    const listed = /Processes: (.*) \(/.exec(this.lines.join('\n'))?.[1] ?? '';
    return new Map([...listed.matchAll(/(\w+) (\d+)/g)].map(([, name, pid]) => [Number(pid), name!]));
  }

  /** CPU seconds its processes have used so far, by process (cpu.ts); null when not running or without /proc. */
  cpuSeconds(): Record<string, number> | null {
    return this.running ? treeCpuSeconds(this.child!.pid!, this.listedProcesses()) : null;
  }

  /** Ctrl-C to its group, then the checks; SIGKILLs whatever is left. */
  async stop(postgresPort: number): Promise<StopCheck> {
    const child = this.child!;
    const pids = [...this.listedProcesses()].map(([pid, name]) => ({ name, pid }));
    const t = performance.now();
    if (this.running) process.kill(-child.pid!, 'SIGINT');
    const exited = await withTimeout(this.exited, 30_000, 'npm start did not exit').then(
      () => true,
      () => false,
    );
    const exitMs = exited ? round(performance.now() - t, 0) : null;
    await sleep(200);
    const leftRunning = pids.filter(({ pid }) => alive(pid)).map(({ name, pid }) => `${name} ${pid}`);
    if (await listening(postgresPort)) leftRunning.push(`PostgreSQL on port ${postgresPort}`);
    this.kill();
    for (const { pid } of pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
    return { exitMs, exitCode: child.exitCode, signal: child.signalCode, saidStopped: this.lines.includes('coursegraph stopped'), leftRunning };
  }

  /** SIGKILL to its group, if it still runs (the run was interrupted). */
  kill(): void {
    if (this.running) process.kill(-this.child!.pid!, 'SIGKILL');
  }
}
