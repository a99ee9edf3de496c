/**
 * A saga request's time plan (DESIGN.md, "The order saga": time nests). The
 * caller's budget is the x-coursegraph-budget-ms the gateway sent; the saga's
 * steps end before it, less a margin for answering, and the forward steps
 * (reserve, confirm) leave time for compensation (giving the seat back).
 */

/**
 * Kept back from the caller's budget for writing the outcome, sending the
 * answer and the rest of the caller's plan (the gateway still resolves the
 * order's course), ms: a fifth of the budget, from ANSWER_MARGIN_MS to
 * MAX_ANSWER_MARGIN_MS.
 */
export const ANSWER_MARGIN_MS = 250;
export const MAX_ANSWER_MARGIN_MS = 1_000;

/** When one request's work must end (epoch ms): its forward steps, and everything. */
export interface Budget {
  forwardEnd: number;
  end: number;
}

/** The saga's own limits, ms (COURSE_CALL_DEADLINE_MS and COMPENSATION_DEADLINE_MS). */
export interface BudgetLimits {
  /** Time limit of the purchase call, retries included. */
  forwardMs: number;
  /** Time kept for giving a seat back after the forward steps. */
  compensationMs: number;
}

const answerMargin = (budgetMs: number) => Math.min(MAX_ANSWER_MARGIN_MS, Math.max(ANSWER_MARGIN_MS, budgetMs / 5));

/**
 * The request's time plan: forward steps for at most `forwardMs`,
 * compensation for at most `compensationMs` more, both within the caller's
 * deadline (epoch ms, null for none) less the answer margin. A short caller
 * budget is shared two thirds forward, one third compensation. `now` is
 * epoch ms.
 */
export function planBudget(limits: BudgetLimits, callerDeadline: number | null, now = Date.now()): Budget {
  const end = Math.min(
    now + limits.forwardMs + limits.compensationMs,
    callerDeadline === null ? Infinity : callerDeadline - answerMargin(callerDeadline - now),
  );
  const forwardEnd = Math.min(now + limits.forwardMs, end - Math.min(limits.compensationMs, Math.max(0, end - now) / 3));
  return { forwardEnd, end };
}
