/**
 * The orders of a phase, from the driver's thread: placeOrder through the
 * gateway, one started every 1/rate s (open loop) with at most `concurrency`
 * in flight, each by its own student with a new idempotency key. Counts the
 * CONFIRMED answers; latency per order (ms, send to answer).
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { sleep } from '@coursegraph/devkit/timing';
import type { OrdersReport, OrdersRequest } from './messages';

/** Starts one order every 1/rate s (open loop), with at most `concurrency` in flight; each by its own student. */
export async function placeOrders(request: OrdersRequest): Promise<OrdersReport> {
  const { url, mutation, courseId, price, tokens, rate, concurrency } = request;
  const started = performance.now();
  const latencies = new Float64Array(tokens.length);
  let confirmed = 0;
  let failureSample: string | null = null;
  let inFlight = 0;
  const slotFreed: (() => void)[] = [];
  const running: Promise<void>[] = [];
  for (let index = 0; index < tokens.length; index++) {
    const wait = started + (index * 1000) / rate - performance.now();
    if (wait > 0) await sleep(wait);
    while (inFlight >= concurrency) await new Promise<void>((resolve) => slotFreed.push(resolve));
    inFlight++;
    const sent = performance.now();
    const body = JSON.stringify({
      query: mutation,
      variables: { input: { courseId, expectedPrice: price, idempotencyKey: `bench-${randomUUID()}` } },
    });
    running.push(
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[index]}` }, body })
        .then(async (response) => {
          const text = await response.text();
          const payload = (JSON.parse(text) as { data?: { placeOrder?: { order: { status: string } | null; userErrors: unknown[] } } }).data
            ?.placeOrder;
          if (payload?.order?.status === 'CONFIRMED' && payload.userErrors.length === 0) confirmed++;
          else failureSample ??= `${response.status} ${text.slice(0, 500)}`;
        })
        .catch((error: unknown) => {
          failureSample ??= String(error);
        })
        .finally(() => {
          latencies[index] = performance.now() - sent;
          inFlight--;
          slotFreed.shift()?.();
        }),
    );
  }
  await Promise.all(running);
  const seconds = (performance.now() - started) / 1000;
  return { type: 'orders-report', placed: tokens.length, confirmed, failed: tokens.length - confirmed, failureSample, seconds, latencies };
}
