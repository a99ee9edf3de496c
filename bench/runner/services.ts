/**
 * The services under test, on a PostgreSQL server of the benchmark's choosing:
 *
 * - ServiceProcesses (default): the subgraphs (accounts, course, order) and
 *   the gateway as one OS process each, started by the repository's one
 *   launcher (packages/devkit/src/processes.ts: the way `npm start` starts them,
 *   production settings, free ports, fresh databases dropped at the end),
 *   with `gateways` gateway processes if more than one is asked for.
 *   Each process also loads bench/runner/service-probe.ts, which measures it on
 *   request.
 * - InProcessStack (--in-process): the end-to-end tests' stack
 *   (packages/devkit/src/stack.ts): every service on the benchmark's main thread.
 *
 * stop() may be called at any time, also while start() is still running
 * (Ctrl-C, watchdog): it stops what has been started and drops the databases.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { anonymousIdentitySource, type Viewer } from '@coursegraph/runtime';
import { ProcessStack } from '@coursegraph/devkit/processes';
import { Meter, type Measured } from './meter';
import { withTimeout } from '@coursegraph/devkit/timing';
import type { ProbeRequest } from './service-probe';
import type { Stack } from '@coursegraph/devkit/stack';

/** Measures one process (or, in process, the one thread running every service) during a phase. */
export interface ServiceMeter {
  name: string;
  start(profile: boolean): Promise<void>;
  stop(): Promise<Measured>;
}

export interface Services {
  /** GraphQL endpoints (HTTP; the websockets are on the same URLs). */
  gatewayUrl: string;
  /** Every gateway instance's endpoint, `gatewayUrl` first (ServiceOptions.gateways). */
  gatewayUrls: string[];
  courseUrl: string;
  courseDatabaseUrl: string;
  token(viewer: Viewer): string;
  /**
   * The gateway's assertion of an anonymous caller, signed with the run's
   * SUBGRAPH_SECRET and renewed as the gateway renews it: what a subgraph
   * asks of a caller in production, for the benchmarks' direct calls.
   */
  anonymousIdentity(): string;
  meters: ServiceMeter[];
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface ServiceOptions {
  maxSubscriptionsPerConnection: number;
  /** Gateway processes (1 unless set; in process always 1): `gateway`, then `gateway2`, ... on ports of their own. */
  gateways?: number;
  log: (line: string) => void;
  /** Extra environment for the service processes (e.g. LOG_SQL, LOG_LEVEL), over the launcher's defaults. */
  env?: NodeJS.ProcessEnv;
  /** When set, each line a process prints is handed here instead of going to the benchmark's output. */
  stdout?: (service: string, line: string) => void;
}

// ------------------------------------------------------------------ processes

/** One request to a service's probe at a time; the probe answers each in order. */
function ask<T>(name: string, child: ChildProcess, request: ProbeRequest, timeoutMs = 60_000): Promise<T> {
  const answer = new Promise<T>((resolve, reject) => {
    child.once('message', (message: { type: string; error?: string }) =>
      message.type === 'error' ? reject(new Error(`${name}: ${message.error}`)) : resolve(message as T),
    );
    child.send(request);
  });
  return withTimeout(answer, timeoutMs, `${name} did not answer ${request.type}`);
}

/** The services as processes (packages/devkit/src/processes.ts), each also loading bench/runner/service-probe.ts. */
export class ServiceProcesses implements Services {
  gatewayUrl = '';
  gatewayUrls: string[] = [];
  courseUrl = '';
  courseDatabaseUrl = '';
  orderDatabaseUrl = '';
  /** Each subgraph's GraphQL URL and database URL, by name (accounts, course, order). */
  subgraphUrls: Record<string, string> = {};
  databaseUrls: Record<string, string> = {};
  meters: ServiceMeter[] = [];
  private readonly processes: ProcessStack;
  private readonly subgraphSecret = randomBytes(32).toString('base64url');
  readonly anonymousIdentity = anonymousIdentitySource(this.subgraphSecret);

  constructor(serverUrl: string, options: ServiceOptions) {
    const stdout = options.stdout;
    this.processes = new ProcessStack({
      serverUrl,
      databasePrefix: 'cg_bench',
      env: {
        // The run's secret (the launcher would make one too), so that direct calls can carry the gateway's assertion.
        SUBGRAPH_SECRET: this.subgraphSecret,
        MAX_SUBSCRIPTIONS_PER_CONNECTION: String(options.maxSubscriptionsPerConnection),
        // Every benchmark client connects from 127.0.0.1, up to 20,000 websockets at once (--subscribers).
        HTTP_MAX_CONNECTIONS: '25000',
        HTTP_MAX_CONNECTIONS_PER_ADDRESS: '0',
        WS_MAX_CONNECTIONS: '100000',
        WS_MAX_CONNECTIONS_PER_ADDRESS: '100000',
        // Benchmarks make their courses as fast as they can.
        CREATE_COURSE_RATE_LIMIT: '1000000',
        ...options.env,
      },
      instances: Object.fromEntries(Array.from({ length: (options.gateways ?? 1) - 1 }, (_v, index) => [`gateway${index + 2}`, 'gateway'])),
      preload: [join(__dirname, 'service-probe.ts')],
      output: stdout ?? ((_service, line) => process.stdout.write(`${line}\n`)),
      log: options.log,
    });
  }

  token(viewer: Viewer): string {
    return this.processes.token(viewer);
  }

  async start(): Promise<void> {
    const processes = this.processes;
    await processes.start();
    this.gatewayUrl = processes.gatewayUrl;
    this.gatewayUrls = processes.instanceNames.filter((name) => name.startsWith('gateway')).map((name) => processes.graphqlUrl(name));
    this.courseUrl = processes.graphqlUrl('course');
    this.courseDatabaseUrl = processes.databaseUrls.course;
    this.orderDatabaseUrl = processes.databaseUrls.order;
    for (const name of ['accounts', 'course', 'order'] as const) {
      this.subgraphUrls[name] = processes.graphqlUrl(name);
      this.databaseUrls[name] = processes.databaseUrls[name];
    }
    this.meters = processes.instanceNames.map((name) => ({
      name,
      start: (profile) => ask(name, processes.child(name), { type: 'start', profile }).then(() => undefined),
      stop: () => ask<Measured>(name, processes.child(name), { type: 'stop' }),
    }));
  }

  /** Stops every process (SIGTERM, gateway first) and drops the databases; may be called while start() is still running. */
  stop(): Promise<void> {
    return this.processes.stop();
  }
}

// ------------------------------------------------------------------ in process

export class InProcessStack implements Services {
  gatewayUrl = '';
  gatewayUrls: string[] = [];
  courseUrl = '';
  courseDatabaseUrl = '';
  meters: ServiceMeter[] = [];
  anonymousIdentity: () => string = () => {
    throw new Error('the services are not started');
  };
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
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a synchronous, typed load only in this mode (import() of this CommonJS module loses its named exports under tsx)
    const { startStack, SECRETS } = require('@coursegraph/devkit/stack') as typeof import('@coursegraph/devkit/stack');
    this.anonymousIdentity = anonymousIdentitySource(SECRETS.subgraphSecret);
    this.starting = startStack({
      gateway: {
        maxSubscriptionsPerConnection: this.options.maxSubscriptionsPerConnection,
        wsMaxConnections: 100_000,
        wsMaxConnectionsPerAddress: 100_000,
      },
    });
    const stack = await this.starting;
    this.stack = stack;
    this.gatewayUrl = stack.gatewayUrl;
    this.gatewayUrls = [stack.gatewayUrl];
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
