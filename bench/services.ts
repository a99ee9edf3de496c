/**
 * The services under test, on a PostgreSQL server of the benchmark's choosing:
 *
 * - ServiceProcesses (default): the subgraphs (accounts, course, order) and
 *   the gateway as one OS process each, started the way `npm start` starts
 *   them (`node --import tsx <entry>`, configured by environment variables,
 *   NODE_ENV=production with secrets made for the run), on free ports, on
 *   fresh databases created for the run and dropped at the end. Each process
 *   also loads bench/service-probe.ts, which measures it on request.
 * - InProcessStack (--in-process): the end-to-end tests' stack
 *   (tests/support/stack.ts): every service on the benchmark's main thread.
 *
 * stop() may be called at any time, also while start() is still running
 * (Ctrl-C, watchdog): it stops what has been started and drops the databases.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { signUserToken, type Viewer } from '../packages/runtime/src/identity';
import { dropDatabases, ensureDatabases, withDatabase } from '../scripts/postgres';
import { Meter, type Measured } from './meter';
import { freePort, sleep, withTimeout } from './support';
import type { ProbeRequest } from './service-probe';
import type { Stack } from '../tests/support/stack';

/** Measures one process (or, in process, the one thread running every service) during a phase. */
export interface ServiceMeter {
  name: string;
  start(profile: boolean): Promise<void>;
  stop(): Promise<Measured>;
}

export interface Services {
  /** GraphQL endpoints (HTTP; the websockets are on the same URLs). */
  gatewayUrl: string;
  courseUrl: string;
  courseDatabaseUrl: string;
  token(viewer: Viewer): string;
  meters: ServiceMeter[];
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface ServiceOptions {
  maxSubscriptionsPerConnection: number;
  log: (line: string) => void;
  /** Extra environment for the service processes (e.g. LOG_SQL, LOG_LEVEL), over the defaults below. */
  env?: NodeJS.ProcessEnv;
  /** When set, each process's stdout is read line by line and handed here instead of going to the benchmark's output. */
  stdout?: (service: string, line: string) => void;
}

const root = join(__dirname, '..');
/** Every service `npm start` runs, in its order; each subgraph NAME has NAME_DATABASE_URL, NAME_PORT and NAME_SUBGRAPH_URL. */
const SUBGRAPHS = ['accounts', 'course', 'order'] as const;
const SERVICES = [...SUBGRAPHS, 'gateway'] as const;
type Name = (typeof SERVICES)[number];
const entry = (name: Name) => (name === 'gateway' ? 'gateway/src/index.ts' : `subgraphs/${name}/src/index.ts`);

const secret = () => randomBytes(32).toString('base64url');

// ------------------------------------------------------------------ processes

interface Running {
  name: Name;
  child: ChildProcess;
  url: string;
  exited: Promise<unknown>;
}

/** One request to a service's probe at a time; the probe answers each in order. */
function ask<T>(service: Running, request: ProbeRequest, timeoutMs = 60_000): Promise<T> {
  const answer = new Promise<T>((resolve, reject) => {
    service.child.once('message', (message: { type: string; error?: string }) =>
      message.type === 'error' ? reject(new Error(`${service.name}: ${message.error}`)) : resolve(message as T),
    );
    service.child.send(request);
  });
  return withTimeout(answer, timeoutMs, `${service.name} did not answer ${request.type}`);
}

async function waitReady(service: Running, timeoutMs: number): Promise<void> {
  let exited = false;
  void service.exited.then(() => (exited = true));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) throw new Error(`${service.name} exited while starting (exit code ${service.child.exitCode ?? service.child.signalCode})`);
    try {
      if ((await fetch(`${service.url}/ready`, { signal: AbortSignal.timeout(2_000) })).ok) return;
    } catch {}
    if (Date.now() > deadline) throw new Error(`${service.name} was not ready within ${timeoutMs / 1000} s`);
    await sleep(200);
  }
}

export class ServiceProcesses implements Services {
  gatewayUrl = '';
  courseUrl = '';
  courseDatabaseUrl = '';
  orderDatabaseUrl = '';
  /** Each subgraph's GraphQL URL and database URL, by name (accounts, course, order). */
  subgraphUrls: Record<string, string> = {};
  databaseUrls: Record<string, string> = {};
  meters: ServiceMeter[] = [];
  private readonly jwtSecret = secret();
  private readonly databases: string[];
  private created: Promise<void> = Promise.resolve();
  private running: Running[] = [];
  private stopping = false;

  constructor(
    private readonly serverUrl: string,
    private readonly options: ServiceOptions,
  ) {
    const run = `cg_bench_${randomBytes(4).toString('hex')}`;
    this.databases = SUBGRAPHS.map((name) => `${run}_${name}`);
  }

  token(viewer: Viewer): string {
    return signUserToken(this.jwtSecret, viewer);
  }

  async start(): Promise<void> {
    this.created = ensureDatabases(this.serverUrl, this.databases);
    await this.created;
    const urls = {} as Record<Name, string>;
    for (const name of SERVICES) urls[name] = `http://127.0.0.1:${await freePort()}`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      HOST: '127.0.0.1',
      GATEWAY_PORT: new URL(urls.gateway).port,
      JWT_SECRET: this.jwtSecret,
      SUBGRAPH_SECRET: secret(),
      SERVICE_SECRET: secret(),
      MAX_SUBSCRIPTIONS_PER_CONNECTION: String(this.options.maxSubscriptionsPerConnection),
      // Every subscriber connects from this one process's address.
      WS_MAX_CONNECTIONS_PER_ADDRESS: '100000',
      WS_MAX_CONNECTIONS: '100000',
      DEMO_DATA: 'false',
      ...this.options.env,
    };
    SUBGRAPHS.forEach((name, index) => {
      const NAME = name.toUpperCase();
      env[`${NAME}_DATABASE_URL`] = withDatabase(this.serverUrl, this.databases[index]!);
      env[`${NAME}_PORT`] = new URL(urls[name]).port;
      env[`${NAME}_SUBGRAPH_URL`] = `${urls[name]}/graphql`;
      this.subgraphUrls[name] = `${urls[name]}/graphql`;
      this.databaseUrls[name] = env[`${NAME}_DATABASE_URL`]!;
    });
    if (this.stopping) throw new Error('stopped while starting');
    const probe = pathToFileURL(join(__dirname, 'service-probe.ts')).href;
    for (const name of SERVICES) {
      // Own process group, as with `npm start`: a terminal's Ctrl-C reaches only the benchmark, which stops them in order.
      const stdout = this.options.stdout;
      const child = spawn(process.execPath, ['--import', 'tsx', '--import', probe, entry(name)], { cwd: root, env, stdio: ['ignore', stdout ? 'pipe' : 'inherit', 'inherit', 'ipc'], detached: true });
      if (stdout) createInterface({ input: child.stdout!, crlfDelay: Infinity }).on('line', (line) => stdout(name, line));
      this.running.push({ name, child, url: urls[name], exited: once(child, 'exit').catch(() => undefined) });
    }
    await Promise.all(this.running.map((service) => waitReady(service, 120_000)));
    this.gatewayUrl = `${urls.gateway}/graphql`;
    this.courseUrl = env.COURSE_SUBGRAPH_URL!;
    this.courseDatabaseUrl = env.COURSE_DATABASE_URL!;
    this.orderDatabaseUrl = env.ORDER_DATABASE_URL!;
    this.meters = this.running.map((service) => ({
      name: service.name,
      start: (profile) => ask(service, { type: 'start', profile }).then(() => undefined),
      stop: () => ask<Measured>(service, { type: 'stop' }),
    }));
    this.options.log(`services up as processes: ${this.running.map((service) => `${service.name} pid ${service.child.pid} ${service.url}`).join(', ')}`);
  }

  /** SIGTERM to each process, gateway first, and wait for it to exit (SIGKILL after 15 s); then drop the databases. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const service of this.running.splice(0).reverse()) {
      if (service.child.exitCode !== null || service.child.signalCode !== null) continue;
      service.child.kill('SIGTERM');
      await withTimeout(service.exited, 15_000, `${service.name} did not exit`).catch((error: unknown) => {
        this.options.log(`${String(error)}; killing it`);
        service.child.kill('SIGKILL');
        return service.exited;
      });
    }
    await this.created.catch(() => undefined);
    await dropDatabases(this.serverUrl, this.databases);
  }
}

// ------------------------------------------------------------------ in process

export class InProcessStack implements Services {
  gatewayUrl = '';
  courseUrl = '';
  courseDatabaseUrl = '';
  meters: ServiceMeter[] = [];
  private starting: Promise<Stack> | null = null;
  private stack: Stack | null = null;

  constructor(
    private readonly serverUrl: string,
    private readonly options: ServiceOptions,
  ) {}

  token(viewer: Viewer): string {
    return this.stack!.token(viewer);
  }

  async start(): Promise<void> {
    process.env.TEST_DATABASE_URL = this.serverUrl;
    process.env.LOG_LEVEL ??= 'warn';
    // Loaded only in this mode: it brings every service into this process.
    const { startStack } = require('../tests/support/stack') as typeof import('../tests/support/stack');
    this.starting = startStack({
      gateway: { maxSubscriptionsPerConnection: this.options.maxSubscriptionsPerConnection, wsMaxConnections: 100_000, wsMaxConnectionsPerAddress: 100_000 },
    });
    const stack = await this.starting;
    this.stack = stack;
    this.gatewayUrl = stack.gatewayUrl;
    this.courseUrl = stack.courseUrl;
    this.courseDatabaseUrl = stack.courseDatabaseUrl;
    const meter = new Meter(false);
    this.meters = [{ name: 'servers (one thread)', start: (profile) => meter.start(profile), stop: () => meter.stop() }];
    this.options.log(`services up in this process: gateway ${stack.gatewayUrl}, course ${stack.courseUrl}`);
  }

  async stop(): Promise<void> {
    const stack = await this.starting?.catch(() => null);
    await stack?.stop();
  }
}
