/**
 * The client side of the subscriptions benchmark, in worker threads of the
 * benchmark's process, so that receiving N websockets' worth of messages and
 * placing orders do not share an event loop (and, with --in-process, do not
 * run on the servers' thread).
 *
 * Role `subscribers`: opens the graphql-ws connections and subscriptions,
 * timestamps every message on arrival and checks versions per subscriber
 * (subscribers.ts, tally.ts). Role `driver`: places the orders through the
 * gateway at the requested rate (orders.ts), and keeps one plain PostgreSQL
 * LISTEN on the seat channel (probe.ts). Requests are answered one at a
 * time, in order (messages.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Request, WorkerData } from './messages';
import { placeOrders } from './orders';
import { Probe } from './probe';
import { Subscribers } from './subscribers';

export type { WorkerData };

const port = parentPort!;
const reply = (message: object, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
const fail = (error: unknown) => reply({ type: 'error', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });

/** Answers one request (a failure is answered as `{ type: "error" }` by the caller). */
async function handle(request: Request, subscribers: Subscribers, probe: Probe): Promise<void> {
  switch (request.type) {
    case 'open':
      return reply(await subscribers.open(request));
    case 'measure':
      await subscribers.measure(request.profile);
      return reply({ type: 'measuring' });
    case 'drain': {
      const report = await subscribers.drain(request);
      return reply(report, [report.latencies.buffer, report.firstDelivery.buffer, report.lastDelivery.buffer] as ArrayBuffer[]);
    }
    case 'close':
      await subscribers.close();
      return reply({ type: 'closed' });
    case 'orders': {
      const report = await placeOrders(request);
      return reply(report, [report.latencies.buffer as ArrayBuffer]);
    }
    case 'watch':
      probe.watch(request.courseId);
      return reply({ type: 'watching' });
    case 'probe-report': {
      const report = probe.report();
      return reply(report, [report.latencies.buffer as ArrayBuffer]);
    }
    case 'stop':
      await subscribers.close();
      await probe.stop();
      reply({ type: 'stopped' });
      port.close();
      return;
  }
}

async function main(): Promise<void> {
  const data = workerData as WorkerData;
  const subscribers = new Subscribers();
  const probe = new Probe();
  if (data.role === 'driver') await probe.start(data.databaseUrl, data.channel);
  reply({ type: 'ready' });
  // One request at a time, in order.
  let queue = Promise.resolve();
  port.on('message', (request: Request) => {
    queue = queue.then(() => handle(request, subscribers, probe).catch(fail));
  });
}

main().catch((error) => {
  fail(error);
  process.exitCode = 1;
});
