/**
 * Access tokens of new students for the load (stack-load.ts): one per
 * request, so no student orders twice. They are signed before each
 * measurement, not during it, since autocannon and the signing share the
 * benchmark's thread: at least 20,000, or 1.25 × the target's best orders/s
 * so far × the measurement's seconds (the one-process reference sells some
 * 5,000 a second). Tokens left unused carry over to the target's next
 * measurement; should they run out, more are signed on demand.
 */
export class StudentTokens {
  private tokens: string[] = [];
  private next = 0;
  private peakPerSecond = 0;

  /** `sign`: a token for a new student. */
  constructor(private readonly sign: () => string) {}

  /** Signs tokens until enough for `seconds` of load are ready. */
  prepare(seconds: number): void {
    this.tokens = this.tokens.slice(this.next);
    this.next = 0;
    const wanted = Math.max(20_000, Math.ceil(1.25 * this.peakPerSecond * seconds));
    while (this.tokens.length < wanted) this.tokens.push(this.sign());
  }

  /** The next unused token. */
  take(): string {
    return this.tokens[this.next++] ?? this.sign();
  }

  /** Records a measurement's orders/s, which sizes the next prepare(). */
  observe(ordersPerSecond: number): void {
    this.peakPerSecond = Math.max(this.peakPerSecond, ordersPerSecond);
  }
}
