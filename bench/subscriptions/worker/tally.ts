/**
 * The subscribers' bookkeeping, in typed arrays sized for N subscribers and
 * the events a phase can make: per subscriber its CURRENT version, the
 * versions it got (duplicates, out of order, unexpected ones), and per event
 * the latency (receive time − changedAt, ms) of every delivery and of the
 * first and last subscriber to get it.
 */
import type { SeatsEvent, Tallied } from './messages';

export class Tally {
  /** Subscribers that have their CURRENT event. */
  currents = 0;
  errors = 0;
  errorSample: string | null = null;
  completedEarly = 0;
  private readonly width: number;
  private readonly v0: Int32Array;
  private readonly maxVersion: Int32Array;
  private readonly distinct: Int32Array;
  private readonly seen: Uint8Array;
  private readonly latencies: Float64Array;
  private latencyCount = 0;
  private readonly firstDelivery: Float64Array;
  private readonly lastDelivery: Float64Array;
  private outOfOrder = 0;
  private duplicates = 0;
  private unexpected = 0;

  /** `capacityEvents`: the events after CURRENT a phase can make (1 per order, PURCHASED; a capacity of 2 per order leaves room). */
  constructor(subscribers: number, capacityEvents: number) {
    this.width = capacityEvents + 1;
    this.v0 = new Int32Array(subscribers).fill(-1);
    this.maxVersion = new Int32Array(subscribers).fill(-1);
    this.distinct = new Int32Array(subscribers);
    this.seen = new Uint8Array(subscribers * this.width);
    this.latencies = new Float64Array(subscribers * capacityEvents);
    this.firstDelivery = new Float64Array(this.width).fill(Infinity);
    this.lastDelivery = new Float64Array(this.width).fill(-Infinity);
  }

  error(error: unknown): void {
    this.errors++;
    this.errorSample ??= error instanceof Error ? error.message : JSON.stringify(error).slice(0, 500);
  }

  /** Subscriber `index` got `event` at `now` (Date.now()); true when it was its CURRENT event. */
  receive(index: number, event: SeatsEvent, now: number): boolean {
    if (event.reason === 'CURRENT') {
      if (this.v0[index] !== -1) {
        this.unexpected++;
        return false;
      }
      this.v0[index] = event.version;
      this.maxVersion[index] = event.version;
      this.currents++;
      return true;
    }
    const k = event.version - this.v0[index]!;
    if (this.v0[index] === -1 || k < 1 || k >= this.width) {
      this.unexpected++;
      return false;
    }
    const slot = index * this.width + k;
    if (this.seen[slot]) {
      this.duplicates++;
      return false;
    }
    this.seen[slot] = 1;
    if (event.version < this.maxVersion[index]!) this.outOfOrder++;
    else this.maxVersion[index] = event.version;
    this.distinct[index]!++;
    const latency = now - Date.parse(event.changedAt);
    this.latencies[this.latencyCount++] = latency;
    if (latency < this.firstDelivery[k]!) this.firstDelivery[k] = latency;
    if (latency > this.lastDelivery[k]!) this.lastDelivery[k] = latency;
    return false;
  }

  /** The version every subscriber's CURRENT event had; throws when they differ. */
  startVersion(): number {
    const v0 = this.v0[0]!;
    if (!this.v0.every((version) => version === v0)) throw new Error('subscribers started from different versions');
    return v0;
  }

  /** Whether every subscriber has `expected` distinct events after CURRENT. */
  complete(expected: number): boolean {
    return this.distinct.every((count) => count >= expected);
  }

  /** The tally for `expected` events per subscriber. */
  report(expected: number): Tallied {
    let lost = 0;
    let subscribersWithLoss = 0;
    for (const count of this.distinct) {
      if (count < expected) {
        lost += expected - count;
        subscribersWithLoss++;
      }
    }
    return {
      received: this.latencyCount,
      lost,
      subscribersWithLoss,
      outOfOrder: this.outOfOrder,
      duplicates: this.duplicates,
      unexpected: this.unexpected,
      errors: this.errors,
      errorSample: this.errorSample,
      completedEarly: this.completedEarly,
      latencies: this.latencies.slice(0, this.latencyCount),
      firstDelivery: this.firstDelivery.slice(1, expected + 1).filter(Number.isFinite),
      lastDelivery: this.lastDelivery.slice(1, expected + 1).filter(Number.isFinite),
    };
  }
}
