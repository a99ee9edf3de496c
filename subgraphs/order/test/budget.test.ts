/**
 * The saga's time plan (src/budget.ts), as numbers: every figure is ms from
 * the request's start, `NOW`.
 */
import { ANSWER_MARGIN_MS, MAX_ANSWER_MARGIN_MS, planBudget } from '../src/budget';

const limits = { forwardMs: 3_000, compensationMs: 1_500 };
/** The request's start (epoch ms); not 0, so a sum and a difference of times differ. */
const NOW = 1_800_000_000_000;
/** The plan with every time relative to NOW. */
const plan = (planLimits: typeof limits, deadline: number | null) => {
  const { forwardEnd, end } = planBudget(planLimits, deadline === null ? null : NOW + deadline, NOW);
  return { forwardEnd: forwardEnd - NOW, end: end - NOW };
};

describe('planBudget', () => {
  test.each<[number | null, number, number, string]>([
    // [caller deadline, forward steps end, everything ends, why]
    [null, 3_000, 4_500, 'no caller deadline: the saga’s own limits'],
    [10_000, 3_000, 4_500, 'a generous caller: the saga’s own limits'],
    [3_000, 1_600, 2_400, 'margin a fifth of the budget (600); two thirds of the rest forward'],
    [1_000, 500, 1_000 - ANSWER_MARGIN_MS, 'a fifth (200) is below the minimum margin'],
    [-100, -100 - ANSWER_MARGIN_MS, -100 - ANSWER_MARGIN_MS, 'the caller stopped waiting already: no time for anything'],
  ])('caller deadline %p: forward steps until %p, everything until %p (%s)', (deadline, forwardEnd, end) => {
    expect(plan(limits, deadline)).toEqual({ forwardEnd, end });
  });

  test('the margin is at most MAX_ANSWER_MARGIN_MS, and compensation keeps at most its own limit', () => {
    // A fifth of 6 s is 1.2 s, above the cap; the rest (5 s) is shorter than the saga's limits (7 s).
    const capped = plan({ forwardMs: 5_000, compensationMs: 2_000 }, 6_000);
    expect(capped.end).toBe(6_000 - MAX_ANSWER_MARGIN_MS);
    expect(capped.forwardEnd).toBeCloseTo((2 / 3) * capped.end);
    // Time enough: compensation keeps its 1.5 s (not a third of 7.5 s), forward steps get their 6 s.
    expect(plan({ forwardMs: 6_000, compensationMs: 1_500 }, null)).toEqual({ forwardEnd: 6_000, end: 7_500 });
  });

  test('`now` defaults to the clock', () => {
    const before = Date.now();
    const now = planBudget(limits, null);
    expect(now.end - now.forwardEnd).toBe(limits.compensationMs);
    expect(now.forwardEnd).toBeGreaterThanOrEqual(before + limits.forwardMs);
    expect(now.forwardEnd).toBeLessThanOrEqual(Date.now() + limits.forwardMs);
  });
});
