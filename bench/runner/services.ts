/**
 * The services under test, on a PostgreSQL server of the benchmark's choosing:
 *
 * - ServiceProcesses (default): the subgraphs (accounts, course, order) and
 *   the gateway as one OS process each, started by the repository's one
 *   launcher (packages/devkit/src/processes.ts: production settings, free
 *   ports, fresh databases dropped at the end), from built JavaScript as
 *   their containers run it, or with --tsx from their sources
 *   (service-code.ts), with `gateways` gateway processes if more than one is
 *   asked for. Each process also loads bench/runner/service-probe.ts, which
 *   measures it on request (probe-client.ts). With `secondInstances`, a
 *   second instance of every service runs beside the first, on the same
 *   databases.
 * - InProcessStack (--in-process): the end-to-end tests' stack
 *   (packages/devkit/src/stack.ts): every service on the benchmark's main thread.
 *
 * stop() may be called at any time, also while start() is still running
 * (Ctrl-C, watchdog): it stops what has been started and drops the databases.
 */
import { randomBytes } from 'node:crypto';
import { anonymousIdentitySource, type Viewer } from '@coursegraph/runtime';
import { ProcessStack, SERVICES } from '@coursegraph/devkit/processes';
import { Meter } from './meter';
import { probeMemory, probeMeter, type ServiceMeter } from './probe-client';
import { buildServiceCode, launchOptions } from './service-code';
import type { MemoryReading } from './service-probe';
import type { Stack } from '@coursegraph/devkit/stack';

export type { ServiceMeter };

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
  /**
   * Processes only: a second instance of every service (ProcessStack `instances`: the same databases and secrets, ports of
   * their own), wired gateway2 -> accounts2, course2, order2 -> course2, with `env` over the shared environment.
   */
  secondInstances?: { env: NodeJS.ProcessEnv };
}

/** The gateway processes beyond the first (ServiceOptions.gateways): gateway-2, gateway-3, ... */
const extraGateways = (gateways = 1): string[] => Array.from({ length: gateways - 1 }, (_v, index) => `gateway-${index + 2}`);

/** The second instances' names (ServiceOptions.secondInstances), by service. */
const SECOND = { accounts: 'accounts2', course: 'course2', order: 'order2', gateway: 'gateway2' } as const;

// ------------------------------------------------------------------ processes

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
  /** With `secondInstances`: the second gateway's GraphQL URL and the second instances' meters. */
  secondGatewayUrl = '';
  secondMeters: ServiceMeter[] = [];
  private readonly processes: ProcessStack;
  private readonly subgraphSecret = randomBytes(32).toString('base64url');
  readonly anonymousIdentity = anonymousIdentitySource(this.subgraphSecret);

  constructor(
    serverUrl: string,
    private readonly options: ServiceOptions,
  ) {
    const { stdout, secondInstances } = options;
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
      ...launchOptions(),
      instances: {
        ...Object.fromEntries(extraGateways(options.gateways).map((name) => [name, 'gateway'])),
        ...(secondInstances && Object.fromEntries(SERVICES.map((name) => [SECOND[name], name]))),
      },
      ...(secondInstances && {
        instanceEnv: (urls) => {
          const graphql = (name: keyof typeof SECOND) => `${urls[SECOND[name]]}/graphql`;
          const env = secondInstances.env;
          const subgraphs = {
            ACCOUNTS_SUBGRAPH_URL: graphql('accounts'),
            COURSE_SUBGRAPH_URL: graphql('course'),
            ORDER_SUBGRAPH_URL: graphql('order'),
          };
          return { accounts2: env, course2: env, order2: { ...env, ...subgraphs }, gateway2: { ...env, ...subgraphs } };
        },
      }),
      output: stdout ?? ((_service, line) => process.stdout.write(`${line}\n`)),
      log: options.log,
    });
  }

  token(viewer: Viewer): string {
    return this.processes.token(viewer);
  }

  /** Builds the services' code first (once per run) unless --tsx. */
  async start(): Promise<void> {
    const processes = this.processes;
    await buildServiceCode(this.options.log);
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
    this.meters = [...SERVICES, ...extraGateways(this.options.gateways)].map((name) => probeMeter(name, () => processes.child(name)));
    if (this.options.secondInstances) {
      this.secondGatewayUrl = processes.graphqlUrl(SECOND.gateway);
      this.secondMeters = SERVICES.map((name) => probeMeter(SECOND[name], () => processes.child(SECOND[name])));
    }
  }

  /** Each service process's memory now (its probe's answer), by service. */
  async memory(): Promise<Record<string, MemoryReading>> {
    const answers = await Promise.all(SERVICES.map((name) => probeMemory(name, this.processes.child(name))));
    return Object.fromEntries(SERVICES.map((name, index) => [name, answers[index]!]));
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
