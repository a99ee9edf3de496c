/**
 * `npm start` with DEMO_DATA=false (its own databases, no demo accounts):
 * it comes up and says there are no demo accounts, instead of signing in
 * accounts that were never made and stopping everything (scripts/start.ts).
 * With the storefront's port taken by another program, it says so and serves
 * everything else, rather than advertise that program or stop the API.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createTestDatabases, type TestDatabases } from '@coursegraph/devkit/databases';
import { npmStartEnv } from '@coursegraph/devkit/start-env';

let databases: TestDatabases;
let start: ChildProcess | undefined;
afterAll(async () => {
  if (start && start.exitCode === null) {
    start.kill('SIGTERM');
    await new Promise((resolve) => start!.once('exit', resolve));
  }
  await databases?.drop();
});

test('npm start with DEMO_DATA=false comes up, with no demo accounts; a storefront port in use leaves only the storefront out', async () => {
  databases = await createTestDatabases('accounts', 'course', 'order');
  // Another program on the storefront's port (as Vite's default 5173 often is).
  const squatter = createHttpServer((_request, response) => response.end('someone else'));
  await new Promise<void>((resolve) => squatter.listen(0, 'localhost', resolve));
  const squatted = (squatter.address() as AddressInfo).port;
  const { env } = await npmStartEnv(databases, { DEMO_DATA: 'false', STOREFRONT_PORT: String(squatted) });
  let output = '';
  start = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { cwd: join(__dirname, '..'), env, stdio: ['ignore', 'pipe', 'pipe'] });
  start.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  start.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise((resolve) => start!.once('exit', resolve));
  const deadline = Date.now() + 90_000;
  while (!/coursegraph is up|npm start failed/.test(output) && start.exitCode === null && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(output).not.toContain('npm start failed');
  expect(output).toContain('coursegraph is up');
  expect(output).toContain('No demo accounts (DEMO_DATA=false)');
  expect(output).toContain(`Storefront:       not served: port ${squatted} is in use (choose another with STOREFRONT_PORT)`);
  expect(output).not.toMatch(/storefront (exited|was)/);
  squatter.close();
  start.kill('SIGTERM');
  expect(await exited).toBe(0);
}, 120_000);
