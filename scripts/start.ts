/**
 * `npm start`: the whole supergraph in one command. Without database URLs it
 * starts an embedded PostgreSQL whose data persists in .data/postgres (or
 * EMBEDDED_POSTGRES_DIR), creates the databases, and loads demo data when
 * they are empty; then it starts the subgraphs and the gateway, waits until
 * the gateway is ready and prints the Sandbox URL, the demo accounts and
 * their access tokens. It also serves the
 * storefront example (examples/storefront) with Vite's development server on
 * STOREFRONT_PORT (default 5173; 0 leaves it out). With demo data
 * (DEMO_DATA, on unless set), the demo students' orders are placed through the
 * gateway before that (scripts/demo-orders.ts). A service that
 * dies is named with the reason and restarted (with backoff, at most
 * MAX_RESTARTS times in RESTART_WINDOW_MS, then everything stops with that
 * said). Ctrl-C, SIGTERM and SIGHUP stop everything in order: the services,
 * then the database. So does the end of the process that started it (`npm`
 * and its shell killed, a closed terminal): this script then finds itself
 * adopted by another parent. If this script itself is killed outright
 * (SIGKILL), each service and the database notice their IPC channel to it
 * close and stop themselves (packages/devkit/src/child-guard.mjs).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MAX_ACCESS_TOKEN_TTL_SECONDS, readInt } from '@coursegraph/runtime';
import { DEMO_USERS } from '@coursegraph/domain';
import { ensureDatabases, withDatabase } from '@coursegraph/devkit/postgres';
import { gatewayUrl, loadDotEnv } from './env';
import { login } from './login';
import { placeDemoOrders } from './demo-orders';

const root = join(__dirname, '..');
loadDotEnv(root);

/** Stops a service when its IPC channel to this script closes (this script was killed). */
const childGuard = require.resolve('@coursegraph/devkit/child-guard');

/** A service that dies more often than this within the window is given up on. */
const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 60_000;

interface Service {
  name: string;
  /** Node's arguments after the child guard. */
  args: string[];
  cwd?: string;
  /** An example beside the product (the storefront): when it keeps dying it is given up, and the API keeps running. */
  optional?: boolean;
}

const SERVICES: Service[] = [
  { name: 'accounts', args: ['--import', 'tsx', 'subgraphs/accounts/src/main.ts'] },
  { name: 'course', args: ['--import', 'tsx', 'subgraphs/course/src/main.ts'] },
  { name: 'order', args: ['--import', 'tsx', 'subgraphs/order/src/main.ts'] },
  { name: 'gateway', args: ['--import', 'tsx', 'gateway/src/main.ts'] },
];

/** The storefront's Vite development server (examples/storefront) on `port`; VITE_GRAPHQL_URL in its environment names the gateway. */
const storefront = (port: number): Service => ({
  name: 'storefront',
  args: [
    join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js'),
    '--port',
    String(port),
    '--strictPort',
    '--clearScreen',
    'false',
    '--logLevel',
    'warn',
  ],
  cwd: join(root, 'examples', 'storefront'),
  optional: true,
});

/** Whether nothing listens on `port` of localhost, where Vite would listen. */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer()
      .once('error', () => resolve(false))
      .listen(port, 'localhost', () => probe.close(() => resolve(true)));
  });
}

/** The running process of each service, by name. */
const children = new Map<string, ChildProcess>();
let database: ChildProcess | null = null;
let stopping = false;

/** Starts scripts/embedded-postgres.ts and waits for its URL. */
function startDatabase(dir: string, port: number): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'embedded-postgres.ts'), dir, String(port)], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  database = child;
  return new Promise((resolve, reject) => {
    child.once('message', (message: { url: string }) => resolve(message.url));
    child.once('exit', (code, signal) => {
      const why = `embedded PostgreSQL ${describeExit(code, signal)}`;
      reject(new Error(why));
      if (!stopping) {
        console.error(`\n${why}; stopping everything`);
        void stop(1);
      }
    });
  });
}

/** Why a process ended, in words an operator can act on. */
function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal === 'SIGKILL') return 'was killed (SIGKILL: kill -9, or the system ran out of memory)';
  if (signal) return `was stopped by ${signal}`;
  return `exited with code ${code} (its last log lines above say why)`;
}

/**
 * Runs one service and keeps it running: an unexpected exit is reported with
 * its reason and the service restarted after 1, 2, 4 ... s, unless it died
 * MAX_RESTARTS times within RESTART_WINDOW_MS, which stops everything.
 */
function supervise(service: Service, env: NodeJS.ProcessEnv): void {
  const deaths: number[] = [];
  const run = () => {
    // Own process group: a terminal Ctrl-C reaches only this script, which stops the services in order.
    const child = spawn(process.execPath, ['--import', pathToFileURL(childGuard).href, ...service.args], {
      cwd: service.cwd ?? root,
      env,
      stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
      detached: true,
    });
    children.set(service.name, child);
    child.once('exit', (code, signal) => {
      if (stopping) return;
      const now = Date.now();
      deaths.push(now);
      while (deaths[0]! < now - RESTART_WINDOW_MS) deaths.shift();
      const why = `${service.name} ${describeExit(code, signal)}`;
      if (deaths.length > MAX_RESTARTS) {
        if (service.optional) {
          console.error(`\n${why}, its ${deaths.length}th death within ${RESTART_WINDOW_MS / 1000} s; given up, the rest keeps running`);
          return;
        }
        console.error(`\n${why}, its ${deaths.length}th death within ${RESTART_WINDOW_MS / 1000} s; stopping everything`);
        void stop(1);
        return;
      }
      const delayMs = 1_000 * 2 ** (deaths.length - 1);
      console.error(`\n${why}; restarting it in ${delayMs / 1000} s (restart ${deaths.length} of at most ${MAX_RESTARTS} a minute)`);
      setTimeout(() => {
        if (stopping) return;
        run();
        console.error(`${service.name} restarted (pid ${children.get(service.name)?.pid})`);
      }, delayMs);
    });
  };
  run();
}

async function databaseEnv(): Promise<Record<string, string>> {
  if (process.env.ACCOUNTS_DATABASE_URL && process.env.COURSE_DATABASE_URL && process.env.ORDER_DATABASE_URL) return {};
  const port = readInt('EMBEDDED_POSTGRES_PORT', 54320, 1, 65535);
  const dir = resolve(root, process.env.EMBEDDED_POSTGRES_DIR || join('.data', 'postgres'));
  const started = Date.now();
  const shown = relative(root, dir).startsWith('..') ? dir : relative(root, dir);
  console.log(`Starting embedded PostgreSQL (data in ${shown}, port ${port})...`);
  const url = await startDatabase(dir, port);
  await ensureDatabases(url, ['coursegraph_accounts', 'coursegraph_course', 'coursegraph_order']);
  // bench/start.ts times the phases of a start from these lines.
  console.log(`Embedded PostgreSQL ready in ${((Date.now() - started) / 1000).toFixed(1)} s; starting the services...`);
  return {
    ACCOUNTS_DATABASE_URL: withDatabase(url, 'coursegraph_accounts'),
    COURSE_DATABASE_URL: withDatabase(url, 'coursegraph_course'),
    ORDER_DATABASE_URL: withDatabase(url, 'coursegraph_order'),
  };
}

/** Resolves once `url` answers 2xx; `name` says who did not, after `timeoutMs`. */
async function waitUntilServing(name: string, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (stopping) throw new Error('stopped while starting');
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(1_000) })).ok) return;
    } catch {
      // Not listening yet: ask again.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the ${name} was not ready within ${timeoutMs / 1000} s`);
}

async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  setTimeout(() => {
    console.error('did not stop within 20 s, exiting');
    process.exit(1);
  }, 20_000).unref();
  const running = [...children.values()].filter((child) => child.exitCode === null && child.signalCode === null);
  for (const child of running) child.kill('SIGTERM');
  await Promise.all(running.map((child) => new Promise((resolve) => child.once('exit', resolve))));
  if (database && database.exitCode === null) {
    const exited = new Promise((resolve) => database!.once('exit', resolve));
    database.send('stop');
    await exited;
  }
  console.log('coursegraph stopped');
  // Exit once stdout has drained, so the last lines are not lost when it is a pipe.
  process.exitCode = code;
  process.stdout.write('', () => process.exit(code));
}

/** Places the demo orders and says what came of them in one line; a failure is reported, not fatal. */
async function describeDemoOrders(url: string): Promise<string> {
  try {
    const { confirmed, refused, skipped } = await placeDemoOrders(url);
    const notes = [...Object.entries(refused).map(([code, count]) => `${count} refused ${code}`), ...skipped.map((why) => `skipped ${why}`)];
    return `\n  Demo orders: ${confirmed} seats sold to demo students (sort POPULAR, alsoBought)${notes.length ? `; ${notes.join('; ')}` : ''}\n`;
  } catch (error) {
    return `\n  Demo orders not placed: ${error instanceof Error ? error.message : String(error)}\n`;
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const env = { DEMO_DATA: 'true', ...process.env, ...(await databaseEnv()) };
  const port = readInt('GATEWAY_PORT', 4000, 0, 65535);
  const storefrontPort = readInt('STOREFRONT_PORT', 5173, 0, 65535);
  // Another program on the port (5173 is Vite's default) would answer in the storefront's place.
  let storefrontNote = !storefrontPort
    ? ''
    : (await portIsFree(storefrontPort))
      ? `  Storefront:       http://localhost:${storefrontPort}/   (examples/storefront; sign in as the demo student below)\n`
      : `  Storefront:       not served: port ${storefrontPort} is in use (choose another with STOREFRONT_PORT)\n`;
  for (const service of SERVICES) supervise(service, env);
  // The page calls the gateway from the browser: localhost, which development CORS allows.
  const serveStorefront = storefrontNote.includes('http://');
  if (serveStorefront) supervise(storefront(storefrontPort), { ...env, VITE_GRAPHQL_URL: `http://localhost:${port}/graphql` });
  await waitUntilServing('gateway', `http://127.0.0.1:${port}/ready`, 90_000);
  if (serveStorefront) {
    await waitUntilServing('storefront', `http://localhost:${storefrontPort}/`, 30_000).catch((error: Error) => {
      storefrontNote = `  Storefront:       not served: ${error.message} (its log lines above say why)\n`;
    });
  }
  const demo = env.DEMO_DATA === 'true' || env.DEMO_DATA === '1';
  // Without demo data the demo accounts do not exist: signing them in would fail and stop everything.
  const accounts = demo ? [DEMO_USERS.student, DEMO_USERS.instructor, DEMO_USERS.admin] : [];
  const tokens = await Promise.all(accounts.map((account) => login(gatewayUrl(env), account.email, account.password)));
  const demoOrders = demo ? await describeDemoOrders(gatewayUrl(env)) : '';
  console.log(`
coursegraph is up in ${((Date.now() - started) / 1000).toFixed(1)} s

  Apollo Sandbox:   http://localhost:${port}/graphql   (subscriptions: ws://localhost:${port}/graphql)
  Health:           http://localhost:${port}/health   http://localhost:${port}/ready
${storefrontNote}
${
  demo
    ? `  Demo accounts (sign in with the login mutation, or use the access tokens below, valid ${Math.round(readInt('ACCESS_TOKEN_TTL_SECONDS', 900, 10, MAX_ACCESS_TOKEN_TTL_SECONDS) / 60)} minutes;
  in Sandbox add the header  Authorization: Bearer <token>):
${accounts
  .map((account, index) => `  ${account.roles[0]!.padEnd(11)} ${account.email} / ${account.password}\n              ${tokens[index]}`)
  .join('\n')}`
    : '  No demo accounts (DEMO_DATA=false): register one with the register mutation.'
}
${demoOrders}
  Processes: ${[...children].map(([name, child]) => `${name} ${child.pid}`).join(', ')} (a service that dies is restarted)
  Press Ctrl-C to stop.
`);
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(0));
// `npm start` runs this under npm and a shell; when they end without passing a signal on, the
// process is adopted by another parent, and stops everything as for SIGTERM.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) void stop(0);
}, 500).unref();
main().catch((error: unknown) => {
  console.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}`);
  void stop(1);
});
