/**
 * The subscriptions benchmark's client threads (worker/main.ts): the
 * subscribers in one, the orders and the LISTEN probe (the driver) in
 * another. Each is held by the run: stopped (its sockets closed) at the end,
 * on Ctrl-C and on --max-seconds, before the services.
 */
import { once } from 'node:events';
import { join } from 'node:path';
import { withTimeout } from '@coursegraph/devkit/timing';
import type { BenchRun } from '../runner/run';
import { startTsWorker, workerRpc, type WorkerRpc } from '../runner/workers';
import type { WorkerData } from './worker/main';

/** Starts a client thread in `data.role`; resolves once it is ready. */
export async function startClients(run: BenchRun, data: WorkerData): Promise<WorkerRpc> {
  const worker = startTsWorker(join(__dirname, 'worker', 'main.ts'), data);
  const rpc = workerRpc(worker);
  run.hold(`the ${data.role} thread`, async () => {
    await rpc.request({ type: 'stop' }, 20_000).catch(() => undefined);
    await withTimeout(once(worker, 'exit'), 5_000, 'worker did not exit').catch(() => worker.terminate());
  });
  await withTimeout(once(worker, 'message'), 60_000, `${data.role} worker did not start`);
  return rpc;
}
