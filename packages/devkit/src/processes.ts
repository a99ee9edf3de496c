/**
 * The whole supergraph as real OS processes: accounts, course, order and the
 * gateway, each started the way `npm start` starts it
 * (`node --import tsx <entry>`), or from `npm run build` output the way its
 * container starts it (`built`: buildWorkspaces() first, then the
 * Dockerfile's CMD, containerNodeArgs()), configured only by environment variables
 * (NODE_ENV=production, secrets made for the run), on free ports of
 * 127.0.0.1, on fresh databases created for the run on a PostgreSQL server
 * and dropped by stop().
 *
 * The one launcher of the repository: the fault tests and `bench/faults.ts`
 * use it to crash (SIGKILL), restart (same port, same environment), pause
 * (SIGSTOP) and resume (SIGCONT) a single service; `bench/runner/services.ts` builds
 * the benchmarks' ServiceProcesses on it.
 *
 * More instances of a service (`instances`) share its databases and secrets
 * on ports of their own; `instanceEnv` wires instances to each other (which
 * course instance an order instance calls, which subgraphs a gateway uses).
 * The methods that take a service name take an instance name too (an
 * instance of the default set is named by its service).
 *
 * No child outlives the run however it ends: stop() stops them (SIGTERM,
 * SIGKILL after 15 s); a process `exit` hook SIGKILLs any still running (a
 * failed test, an uncaught error, Ctrl-C handled by the caller); and each
 * child loads packages/devkit/src/child-guard.mjs, which stops it when its IPC
 * channel to the parent closes (the parent was killed outright).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { signServiceCredential, signUserToken, type Viewer } from '@coursegraph/runtime';
import { dropDatabases, ensureDatabases, withDatabase } from './postgres';
import { freePorts, sleep, withTimeout } from './timing';

/** The subgraphs, in `npm start` order; subgraph NAME reads NAME_DATABASE_URL and NAME_PORT, the others find it at NAME_SUBGRAPH_URL. */
export const SUBGRAPHS = ['accounts', 'course', 'order'] as const;
export const SERVICES = [...SUBGRAPHS, 'gateway'] as const;
export type SubgraphName = (typeof SUBGRAPHS)[number];
export type ServiceName = (typeof SERVICES)[number];
/** A service's default instance (named by its service) or one of `ProcessStackOptions.instances`. */
export type InstanceName = ServiceName | (string & {});

export interface ProcessStackOptions {
  /** A PostgreSQL server URL (any database); the run's databases are created on it. */
  serverUrl: string;
  /** Prefix of the run's database names (`<prefix>_<random>_<subgraph>`). */
  databasePrefix?: string;
  /** Environment for every service, over the defaults (LOG_LEVEL=warn, DEMO_DATA=false, ...). */
  env?: NodeJS.ProcessEnv;
  /**
   * Run each service from its `npm run build` output as its container does:
   * `node <nodeArgs>` (the Dockerfile's CMD arguments, containerNodeArgs(),
   * e.g. `['--conditions=coursegraph-built', 'dist/main.js']`) in the
   * service's workspace folder, with no TypeScript tooling loaded. Build
   * first (buildWorkspaces()).
   */
  built?: { nodeArgs: string[] };
  /** Each service's own environment, over everything else (a container's `environment:`); called once the ports are chosen. */
  serviceEnv?: (name: ServiceName, stack: ProcessStack) => NodeJS.ProcessEnv;
  /** Extra modules each service preloads with `--import` (absolute paths), before its entry; JavaScript only with `built`. */
  preload?: string[];
  /** Each line a service prints on stdout or stderr, with the instance that printed it; by default the last 200 lines per instance are kept for recentOutput(). */
  output?: (service: ServiceName, line: string, instance: string) => void;
  /** More instances beside the one of each service, by name: `{ course2: 'course' }`. Each has its own port, the same databases and secrets. */
  instances?: Record<string, ServiceName>;
  /**
   * Environment per instance over the shared one, given every instance's base URL (the default instances are named by
   * their service): how instances find each other, e.g. `{ order: { COURSE_SUBGRAPH_URL: \`${urls.course2}/graphql\` } }`.
   */
  instanceEnv?: (urls: Record<string, string>) => Record<string, NodeJS.ProcessEnv>;
  /** How long start() and restart() wait for GET /ready (ms); 120 000 by default. */
  readyTimeoutMs?: number;
  log?: (line: string) => void;
}

interface Running {
  child: ChildProcess;
  exited: Promise<unknown>;
}

const root = join(__dirname, '..', '..', '..');
/** A service's workspace folder, relative to the repository root (the Dockerfile's WORKSPACE). */
export const workspaceOf = (name: ServiceName) => (name === 'gateway' ? 'gateway' : `subgraphs/${name}`);
const portVariable = (name: ServiceName) => `${name.toUpperCase()}_PORT`;
const secret = () => randomBytes(32).toString('base64url');
const alive = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

/**
 * Node's arguments in a service's container, for `built`: the Dockerfile's
 * CMD (exec form) without its leading `node`, e.g.
 * `['--conditions=coursegraph-built', 'dist/main.js']`. Throws when the CMD is
 * missing or does not start with `node`.
 */
export function containerNodeArgs(): string[] {
  const line = readFileSync(join(root, 'Dockerfile'), 'utf8')
    .split('\n')
    .find((text) => text.startsWith('CMD '));
  const args = line ? (JSON.parse(line.slice(4)) as string[]) : [];
  if (args[0] !== 'node') throw new Error(`the Dockerfile's CMD is not an exec-form node command: ${line}`);
  return args.slice(1);
}

/**
 * `npm run build` in the repository (tsc -b tsconfig.build.json: every
 * workspace's dist/, incremental, about 1.5 s when nothing changed), as
 * `built` needs first. Rejects with the end of its output when it fails.
 */
export async function buildWorkspaces(): Promise<void> {
  try {
    await promisify(execFile)('npm', ['run', 'build', '--silent'], { cwd: root, maxBuffer: 16 * 2 ** 20 });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`npm run build failed: ${`${stdout}${stderr}`.trim().slice(-2_000) || String(error)}`, { cause: error });
  }
}

/** Every child of every ProcessStack of this process, SIGKILLed on exit if still running. */
const allChildren = new Set<ChildProcess>();
let exitHookInstalled = false;
function track(child: ChildProcess): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const orphan of allChildren) if (alive(orphan)) orphan.kill('SIGKILL');
    });
  }
  allChildren.add(child);
  child.once('exit', () => allChildren.delete(child));
}

export class ProcessStack {
  /** Base URLs (`http://127.0.0.1:<port>`) by service; GraphQL is at `/graphql`, websockets on the same URL. */
  readonly urls = {} as Record<ServiceName, string>;
  /** Base URLs of every instance, the default ones (named by their service) and `instances`. */
  readonly instanceUrls: Record<string, string> = {};
  /** Each subgraph's database URL and name. */
  readonly databaseUrls = {} as Record<SubgraphName, string>;
  readonly databaseNames: Record<SubgraphName, string>;
  private readonly jwtSecret = secret();
  private readonly serviceSecret = secret();
  private readonly env: NodeJS.ProcessEnv = {};
  private readonly running = new Map<string, Running>();
  private readonly recent = new Map<string, string[]>();
  /** Each instance's service, and its environment over the shared one. */
  private readonly instances = new Map<string, { service: ServiceName; env: NodeJS.ProcessEnv }>();
  private created: Promise<void> = Promise.resolve();
  private stopping = false;

  constructor(private readonly options: ProcessStackOptions) {
    const run = `${options.databasePrefix ?? 'cg_proc'}_${randomBytes(4).toString('hex')}`;
    this.databaseNames = Object.fromEntries(SUBGRAPHS.map((name) => [name, `${run}_${name}`])) as Record<SubgraphName, string>;
  }

  /** The PostgreSQL server the run's databases live on. */
  get serverUrl(): string {
    return this.options.serverUrl;
  }

  get gatewayUrl(): string {
    return `${this.urls.gateway}/graphql`;
  }

  graphqlUrl(name: InstanceName): string {
    return `${this.instanceUrls[name] ?? this.urls[name as ServiceName]}/graphql`;
  }

  /** Every instance's name: the services, then `instances`. */
  get instanceNames(): string[] {
    return [...this.instances.keys()];
  }

  /** An access token for `viewer`, signed with the run's JWT secret. */
  token(viewer: Viewer): string {
    return signUserToken(this.jwtSecret, viewer);
  }

  /** The order subgraph's service credential, for calling the course subgraph's internal operations directly. */
  serviceCredential(): string {
    return signServiceCredential(this.serviceSecret, 'order');
  }

  /** The child process of a running service (for IPC with a preloaded probe); throws when it is not running. */
  child(name: InstanceName): ChildProcess {
    const running = this.running.get(name);
    if (!running) throw new Error(`${name} is not running`);
    return running.child;
  }

  pid(name: InstanceName): number {
    return this.child(name).pid!;
  }

  /** The last lines a service printed (only when no `output` callback was given). */
  recentOutput(name: InstanceName): string[] {
    return [...(this.recent.get(name) ?? [])];
  }

  /** Creates the databases, picks the ports, starts every service and waits until each is ready; throws after stop(). */
  async start(): Promise<void> {
    // stop() came first (e.g. while the caller was building): create nothing that would outlive it.
    if (this.stopping) throw new Error('stopped before it started');
    const names = SUBGRAPHS.map((name) => this.databaseNames[name]);
    this.created = ensureDatabases(this.options.serverUrl, names);
    await this.created;
    for (const name of SERVICES) this.instances.set(name, { service: name, env: {} });
    for (const [name, service] of Object.entries(this.options.instances ?? {})) this.instances.set(name, { service, env: {} });
    const instanceNames = [...this.instances.keys()];
    const ports = await freePorts(instanceNames.length);
    instanceNames.forEach((name, index) => (this.instanceUrls[name] = `http://127.0.0.1:${ports[index]}`));
    for (const name of SERVICES) this.urls[name] = this.instanceUrls[name]!;
    Object.assign(this.env, {
      ...process.env,
      NODE_ENV: 'production',
      // Tests silence the services in their own process; a child's warnings only reach recentOutput() or `output`.
      LOG_LEVEL: process.env.LOG_LEVEL === 'silent' ? 'warn' : (process.env.LOG_LEVEL ?? 'warn'),
      HOST: '127.0.0.1',
      GATEWAY_PORT: new URL(this.urls.gateway).port,
      JWT_SECRET: this.jwtSecret,
      SUBGRAPH_SECRET: secret(),
      SERVICE_SECRET: this.serviceSecret,
      DEMO_DATA: 'false',
    });
    for (const name of SUBGRAPHS) {
      const NAME = name.toUpperCase();
      this.databaseUrls[name] = withDatabase(this.options.serverUrl, this.databaseNames[name]);
      this.env[`${NAME}_DATABASE_URL`] = this.databaseUrls[name];
      this.env[`${NAME}_PORT`] = new URL(this.urls[name]).port;
      this.env[`${NAME}_SUBGRAPH_URL`] = this.graphqlUrl(name);
    }
    Object.assign(this.env, this.options.env);
    const wiring = this.options.instanceEnv?.(this.instanceUrls) ?? {};
    for (const [name, instance] of this.instances) {
      instance.env = {
        [portVariable(instance.service)]: new URL(this.instanceUrls[name]!).port,
        ...this.options.serviceEnv?.(instance.service, this),
        ...wiring[name],
      };
    }
    for (const name of this.instances.keys()) this.spawn(name);
    await Promise.all(this.instanceNames.map((name) => this.waitReady(name)));
    this.options.log?.(
      `services up as processes: ${this.instanceNames.map((name) => `${name} pid ${this.pid(name)} ${this.instanceUrls[name]}`).join(', ')}`,
    );
  }

  /** The environment instance `name` runs with, e.g. to run one of its service's commands (the audit) as it would. */
  envOf(name: InstanceName): NodeJS.ProcessEnv {
    const instance = this.instances.get(name);
    if (!instance) throw new Error(`no instance named ${name}`);
    return { ...this.env, ...instance.env };
  }

  private spawn(name: string): void {
    if (this.stopping) throw new Error('stopped while starting');
    const env = this.envOf(name);
    const instance = this.instances.get(name)!;
    const preload = [join(__dirname, 'child-guard.mjs'), ...(this.options.preload ?? [])].flatMap((file) => ['--import', pathToFileURL(file).href]);
    const { built } = this.options;
    const workspace = workspaceOf(instance.service);
    const args = built ? [...preload, ...built.nodeArgs] : ['--import', 'tsx', ...preload, `${workspace}/src/main.ts`];
    // Own process group, as with `npm start`: a terminal's Ctrl-C reaches only the parent, which stops them in order.
    const child = spawn(process.execPath, args, {
      cwd: built ? join(root, workspace) : root,
      env,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      detached: true,
    });
    track(child);
    const output =
      this.options.output ??
      ((_service: ServiceName, line: string) => {
        const lines = this.recent.get(name) ?? [];
        lines.push(line);
        if (lines.length > 200) lines.shift();
        this.recent.set(name, lines);
      });
    for (const stream of [child.stdout!, child.stderr!])
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => output(instance.service, line, name));
    this.running.set(name, { child, exited: once(child, 'exit').catch(() => undefined) });
  }

  /** Polls GET /ready until it answers 200; throws when the service exits or `timeoutMs` passes. */
  async waitReady(name: InstanceName, timeoutMs = this.options.readyTimeoutMs ?? 120_000): Promise<void> {
    const { child } = this.running.get(name) ?? {};
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!child || !alive(child))
        throw new Error(`${name} is not running (exit ${child?.exitCode ?? child?.signalCode}): ${this.recentOutput(name).slice(-5).join(' | ')}`);
      try {
        if ((await fetch(`${this.instanceUrls[name]}/ready`, { signal: AbortSignal.timeout(2_000) })).ok) return;
      } catch {
        // Not listening yet: ask again.
      }
      if (Date.now() > deadline) throw new Error(`${name} was not ready within ${timeoutMs / 1000} s`);
      await sleep(200);
    }
  }

  /** SIGKILL: the process dies at once, mid-request, without any clean-up. Resolves when it has exited. */
  async kill(name: InstanceName): Promise<void> {
    const running = this.running.get(name);
    if (!running) return;
    if (alive(running.child)) running.child.kill('SIGKILL');
    await running.exited;
  }

  /** Starts a killed (or never started) service again on its own port with the same environment, and waits until it is ready. */
  async restart(name: InstanceName): Promise<void> {
    await this.kill(name);
    this.spawn(name);
    await this.waitReady(name);
  }

  /**
   * SIGTERM to one service, as `docker stop` sends it; resolves with how the
   * process exited, or rejects when it is still running after `graceMs` (the
   * caller's stop() then kills it).
   */
  async terminate(name: ServiceName, graceMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const { child, exited } = this.running.get(name) ?? {};
    if (!child || !exited) throw new Error(`${name} is not running`);
    child.kill('SIGTERM');
    await withTimeout(exited, graceMs, `${name} did not exit within ${graceMs} ms of SIGTERM`);
    return { code: child.exitCode, signal: child.signalCode };
  }

  /** SIGSTOP: the process stays, its sockets stay open, and nothing it does advances until resume(). */
  pause(name: InstanceName): void {
    this.child(name).kill('SIGSTOP');
  }

  /** SIGCONT after pause(). */
  resume(name: InstanceName): void {
    this.child(name).kill('SIGCONT');
  }

  /** SIGTERM to each service, gateway first (a paused one is resumed so it can stop), SIGKILL after 15 s; then drops the databases. */
  async stop(): Promise<void> {
    this.stopping = true;
    // Gateways first, then order, course and accounts instances: callers stop before what they call.
    const order = (name: string) => SERVICES.indexOf(this.instances.get(name)?.service ?? 'accounts');
    for (const name of [...this.instances.keys()].sort((a, b) => order(b) - order(a))) {
      const running = this.running.get(name);
      this.running.delete(name);
      if (!running || !alive(running.child)) continue;
      running.child.kill('SIGTERM');
      running.child.kill('SIGCONT');
      await withTimeout(running.exited, 15_000, `${name} did not exit`).catch((error: unknown) => {
        this.options.log?.(`${String(error)}; killing it`);
        running.child.kill('SIGKILL');
        return running.exited;
      });
    }
    await this.created.catch(() => undefined);
    await dropDatabases(this.options.serverUrl, Object.values(this.databaseNames));
  }
}
