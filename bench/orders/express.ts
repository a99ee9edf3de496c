/**
 * The yardstick for the orders aim, measured in the same rounds:
 * express-reference.ts (Express + an in-memory workflow, nothing durable)
 * started as its own process on the course database's published courses,
 * and loaded by stack-load.ts exactly like the stack (same body, a bearer
 * token per student, signed with the reference's own secret).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { signUserToken } from '@coursegraph/runtime';
import type { ReferenceEnv } from './express-reference';
import type { LoadTarget } from './stack-load';

export interface Reference {
  target: LoadTarget;
  stop(): void;
}

/** Starts bench/orders/express-reference.ts as its own process; resolves once it listens. */
export async function startExpressReference(courseUrl: string): Promise<Reference> {
  const secret = randomUUID() + randomUUID();
  const env: ReferenceEnv = { COURSE_DATABASE_URL: courseUrl, JWT_SECRET: secret, PORT: '0' };
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'express-reference.ts')], {
    cwd: join(__dirname, '..', '..'),
    env: { ...process.env, NODE_ENV: 'production', ...env },
    // The IPC channel closes when this process ends, however it ends; the reference then exits too.
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const match = /listening (\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the Express reference exited with ${code}`)));
  });
  return {
    target: { url, sign: () => signUserToken(secret, { userId: randomUUID(), roles: ['STUDENT'] }), meters: [] },
    stop: () => child.kill('SIGTERM'),
  };
}
