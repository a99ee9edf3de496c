/**
 * The operator's command lines as a newcomer runs them: `npm start`
 * (scripts/start.ts) on this run's databases and free ports with its demo
 * catalog, demo orders (the seat invariant holding across both databases) and
 * the storefront's development server,
 * a service killed under it, no service left running when npm is stopped or
 * the start script killed, and `npm run token` (scripts/token.ts) following GATEWAY_PORT and
 * `.env` rather than a hard-coded :4000.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Pool } from 'pg';
import { DEMO_USERS } from '@coursegraph/domain';
import { expectCourseInvariant } from '@coursegraph/devkit/invariant';
import { gatewayUrl, loadDotEnv } from '../scripts/env';
import { createTestDatabases, type TestDatabases } from '@coursegraph/devkit/databases';
import { npmStartEnv, type StartPorts } from '@coursegraph/devkit/start-env';
import { freePort } from '@coursegraph/devkit/timing';

const root = join(__dirname, '..');
const run = promisify(execFile);

/** Runs `npm run token` as a person would, with `env` over a clean environment. */
const token = (env: NodeJS.ProcessEnv) =>
  run(process.execPath, ['--import', 'tsx', 'scripts/token.ts', DEMO_USERS.student.email, DEMO_USERS.student.password], {
    cwd: root,
    env: { PATH: process.env.PATH, GATEWAY_URL: '', ...env },
    timeout: 30_000,
  });

test('.env fills in what the environment does not set, and the gateway URL follows GATEWAY_PORT', () => {
  const dir = mkdtempSync(join(tmpdir(), 'coursegraph-env-'));
  writeFileSync(join(dir, '.env'), 'CG_TEST_FROM_FILE=file\nCG_TEST_SET_BOTH=file\n');
  process.env.CG_TEST_SET_BOTH = 'environment';
  expect(loadDotEnv(dir)).toBe(true);
  expect(process.env.CG_TEST_FROM_FILE).toBe('file');
  expect(process.env.CG_TEST_SET_BOTH).toBe('environment');
  expect(loadDotEnv(join(dir, 'missing'))).toBe(false);
  expect(gatewayUrl({ GATEWAY_PORT: '4100' })).toBe('http://127.0.0.1:4100/graphql');
  expect(gatewayUrl({ GATEWAY_PORT: '4100', GATEWAY_URL: 'http://gw:9/graphql' })).toBe('http://gw:9/graphql');
  expect(gatewayUrl({})).toBe('http://127.0.0.1:4000/graphql');
});

test('npm run token says where it looked when no gateway answers', async () => {
  const port = await freePort();
  const failed = await token({ GATEWAY_PORT: String(port) }).then(
    () => null,
    (error: { code: number; stderr: string }) => error,
  );
  expect(failed?.code).toBe(1);
  expect(failed?.stderr).toContain(`could not reach the gateway at http://127.0.0.1:${port}/graphql`);
});

describe('npm start', () => {
  let databases: TestDatabases;
  let start: ChildProcess;
  let output = '';
  let ports: StartPorts;

  /** Waits until the combined output of npm start matches `pattern`. */
  async function waitForOutput(pattern: RegExp, timeoutMs = 90_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const match = pattern.exec(output);
      if (match) return match;
      if (start.exitCode !== null) throw new Error(`npm start exited (${start.exitCode}):\n${output.slice(-3_000)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no ${pattern} in npm start's output within ${timeoutMs} ms:\n${output.slice(-3_000)}`);
  }

  const catalog = async () => {
    const response = await fetch(`http://127.0.0.1:${ports.gateway}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ courses(first: 2) { edges { node { title enrollmentCount } } } }' }),
      signal: AbortSignal.timeout(5_000),
    });
    return (await response.json()) as { data?: { courses: { edges: unknown[] } }; errors?: unknown[] };
  };

  beforeAll(async () => {
    databases = await createTestDatabases('accounts', 'course', 'order');
    let env: NodeJS.ProcessEnv;
    ({ env, ports } = await npmStartEnv(databases));
    start = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    start.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    start.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitForOutput(/coursegraph is up/);
  }, 120_000);

  afterAll(async () => {
    if (start && start.exitCode === null) {
      start.kill('SIGTERM');
      await new Promise((resolve) => start.once('exit', resolve));
    }
    await databases?.drop();
  });

  test('serves the demo catalog, and npm run token signs in on GATEWAY_PORT', async () => {
    expect((await catalog()).data?.courses.edges.length).toBe(2);
    const { stdout } = await token({ GATEWAY_PORT: String(ports.gateway) });
    expect(stdout.trim()).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    // A GATEWAY_URL without /graphql is named as the likely mistake.
    const wrongUrl = `http://127.0.0.1:${ports.gateway}/`;
    const failed = await token({ GATEWAY_URL: wrongUrl }).then(
      () => null,
      (error: { stderr: string }) => error,
    );
    expect(failed?.stderr).toContain(`${wrongUrl} answered HTTP 404, not GraphQL`);
  });

  test('serves the storefront on STOREFRONT_PORT, named in the banner and calling the gateway on GATEWAY_PORT', async () => {
    expect(output).toContain(`Storefront:       http://localhost:${ports.storefront}/`);
    const page = await fetch(`http://localhost:${ports.storefront}/`, { signal: AbortSignal.timeout(5_000) });
    expect(await page.text()).toContain('<script type="module" src="/src/main.tsx"></script>');
    // Vite serves the module with the build-time variables inlined: the gateway the browser will call.
    const config = await fetch(`http://localhost:${ports.storefront}/src/config.ts`, { signal: AbortSignal.timeout(15_000) });
    expect(await config.text()).toContain(`http://localhost:${ports.gateway}/graphql`);
  });

  test('seeds a catalog worth browsing, with demo orders: POPULAR leads with seats sold, seats and orders agree', async () => {
    expect(output).toMatch(/Demo orders: \d+ seats sold to demo students/);
    const response = await fetch(`http://127.0.0.1:${ports.gateway}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ courses(first: 2, sort: POPULAR) { totalCount edges { node { title seatsSold } } } }' }),
      signal: AbortSignal.timeout(5_000),
    });
    const popular = ((await response.json()) as { data: { courses: { totalCount: number; edges: { node: { seatsSold: number } }[] } } }).data.courses;
    expect(popular.totalCount).toBeGreaterThanOrEqual(40);
    expect(popular.edges[0]!.node.seatsSold).toBeGreaterThan(popular.edges[1]!.node.seatsSold);
    const courseDb = new Pool({ connectionString: databases.urls.course, max: 1 });
    const orderDb = new Pool({ connectionString: databases.urls.order, max: 1 });
    try {
      const courses = await courseDb.query('SELECT id FROM course');
      for (const { id } of courses.rows) await expectCourseInvariant(courseDb, id, orderDb);
      const sold = await orderDb.query(`SELECT count(*)::int AS n FROM orders WHERE status = 'CONFIRMED'`);
      expect(sold.rows[0].n).toBeGreaterThan(0);
    } finally {
      await Promise.all([courseDb.end(), orderDb.end()]);
    }
  });

  test('a killed service is named with the reason and restarted, and the product serves again', async () => {
    const pid = Number((await waitForOutput(/course (\d+)/))[1]);
    process.kill(pid, 'SIGKILL');
    await waitForOutput(/course was killed \(SIGKILL[^\n]*restarting it/);
    await waitForOutput(/course restarted \(pid \d+\)/);
    const deadline = Date.now() + 60_000;
    let answer = await catalog().catch(() => null);
    while (!answer?.data && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      answer = await catalog().catch(() => null);
    }
    expect(answer?.data?.courses.edges.length).toBe(2);
  }, 90_000);

  test('SIGTERM stops every service and exits 0', async () => {
    start.kill('SIGTERM');
    const code = await new Promise((resolve) => start.once('exit', resolve));
    expect(code).toBe(0);
    expect(output).toContain('coursegraph stopped');
  }, 30_000);
});

describe('npm start run through npm, as a supervisor or a terminal runs it', () => {
  /** Whether a process still runs (a zombie nobody has reaped yet counts as ended). */
  const running = (pid: number) => {
    try {
      return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return false;
    }
  };
  /** The process ids below `pid`, children first. */
  const descendants = (pid: number): number[] => {
    let children: number[] = [];
    try {
      children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      // Ended meanwhile.
    }
    return children.flatMap((child) => [child, ...descendants(child)]);
  };
  const commandOf = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');

  test.each([
    ['SIGTERM to npm, which ends with its shell', 'npm'],
    ['SIGKILL to the start script', 'script'],
  ] as const)(
    '%s stops every service',
    async (_title, target) => {
      const databases = await createTestDatabases('accounts', 'course', 'order');
      const { env } = await npmStartEnv(databases);
      const npm = spawn('npm', ['start'], {
        cwd: root,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      npm.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      npm.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      let services: number[] = [];
      let script: number | undefined;
      try {
        const deadline = Date.now() + 100_000;
        while (!/Processes: (.*) \(/.test(output)) {
          if (Date.now() > deadline || npm.exitCode !== null) throw new Error(`npm start did not come up:\n${output.slice(-3_000)}`);
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        services = [.../Processes: (.*) \(/.exec(output)![1]!.matchAll(/\d+/g)].map(Number);
        expect(services).toHaveLength(5);
        script = descendants(npm.pid!).find((pid) => /^\S*node --import tsx scripts\/start\.ts/.test(commandOf(pid)));
        expect(script).toBeDefined();
        process.kill(target === 'npm' ? npm.pid! : script!, target === 'npm' ? 'SIGTERM' : 'SIGKILL');
        const stopBy = Date.now() + 20_000;
        while ([script!, ...services].some(running) && Date.now() < stopBy) await new Promise((resolve) => setTimeout(resolve, 200));
        expect([script!, ...services].filter(running)).toEqual([]);
        if (target === 'npm') expect(output).toContain('coursegraph stopped');
      } finally {
        for (const pid of [npm.pid!, script ?? npm.pid!, ...services]) if (running(pid)) process.kill(pid, 'SIGKILL');
        await databases.drop();
      }
    },
    150_000,
  );
});
