/**
 * The Express references of the orders benchmark, each process started with
 * bench/runner/service-probe.ts preloaded and metered like a service (ELU,
 * CPU ms), and loaded by stack-load.ts exactly like the stack (same body, a
 * bearer token per student, signed with the references' own secret):
 *
 * - two processes (the yardstick, after the system coursegraph grew from):
 *   reference-order.ts calling reference-course.ts over HTTP keep-alive
 *   for get-course, reserve and confirm;
 * - one process (the upper bound): reference-one-process.ts.
 *
 * Both read the course database's courses once, at start. Each process ends
 * on stop() (SIGTERM) or when this process's IPC channel to it closes.
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { signUserToken } from '@coursegraph/runtime';
import { probeMeter, SERVICE_PROBE } from '../runner/probe-client';
import type { CourseProcessEnv } from './reference-course';
import type { OneProcessEnv } from './reference-one-process';
import type { OrderProcessEnv } from './reference-order';
import type { LoadTarget } from './stack-load';
import { StudentTokens } from './tokens';

export interface Reference {
  target: LoadTarget;
  stop(): void;
}

interface Started {
  url: string;
  meter: LoadTarget['meters'][number];
  stop(): void;
}

/** Starts bench/orders/`file` as its own process with `env`; resolves with its base URL once it listens. */
async function startProcess(name: string, file: string, env: object): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', SERVICE_PROBE, join(__dirname, file)], {
    cwd: join(__dirname, '..', '..'),
    env: { ...process.env, NODE_ENV: 'production', PORT: '0', ...env },
    // The IPC channel carries the probe's readings; it closes when this process ends, however it ends, and the reference then exits too.
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const match = /listening (\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}`)));
  });
  return { url, meter: probeMeter(name, () => child), stop: () => child.kill('SIGTERM') };
}

const studentTokens = (secret: string) => new StudentTokens(() => signUserToken(secret, { userId: randomUUID(), roles: ['STUDENT'] }));

/** The two-process reference on the courses of `courseDatabaseUrl`: the course process, then the order process calling it. */
export async function startTwoProcessReference(courseDatabaseUrl: string): Promise<Reference> {
  const secret = randomBytes(32).toString('base64url');
  const course = await startProcess('reference course', 'reference-course.ts', { COURSE_DATABASE_URL: courseDatabaseUrl } satisfies Omit<
    CourseProcessEnv,
    'PORT'
  >);
  const order = await startProcess('reference order', 'reference-order.ts', { COURSE_URL: course.url, JWT_SECRET: secret } satisfies Omit<
    OrderProcessEnv,
    'PORT'
  >).catch((error: unknown) => {
    course.stop();
    throw error;
  });
  return {
    target: { urls: [`${order.url}/graphql`], tokens: studentTokens(secret), meters: [order.meter, course.meter] },
    stop: () => [order, course].forEach((started) => started.stop()),
  };
}

/** The one-process reference on the courses of `courseDatabaseUrl`. */
export async function startOneProcessReference(courseDatabaseUrl: string): Promise<Reference> {
  const secret = randomBytes(32).toString('base64url');
  const started = await startProcess('reference (one process)', 'reference-one-process.ts', {
    COURSE_DATABASE_URL: courseDatabaseUrl,
    JWT_SECRET: secret,
  } satisfies Omit<OneProcessEnv, 'PORT'>);
  return { target: { urls: [`${started.url}/graphql`], tokens: studentTokens(secret), meters: [started.meter] }, stop: started.stop };
}
