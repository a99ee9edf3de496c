/**
 * Money as coursegraph handles it: a whole number of the currency's minor
 * units (cents for USD; ISO 4217 gives each currency's exponent) and the
 * currency's ISO 4217 code. The same rule for a course's price (course
 * subgraph) and a buyer's expected price (order subgraph), as both schemas'
 * `MoneyInput` describe it.
 */
import { userError, type UserError } from '@coursegraph/runtime';

export interface Money {
  /** Minor units, 0 to MAX_PRICE_MINOR_UNITS. */
  amount: number;
  /** ISO 4217 code, three upper-case letters. */
  currency: string;
}

/** The highest price, in minor units (1,000,000.00 in a two-decimal currency). */
export const MAX_PRICE_MINOR_UNITS = 100_000_000;
const CURRENCY = /^[A-Z]{3}$/;

/** A VALIDATION error naming `${field}.amount` or `${field}.currency`, or null when `money` is well-formed. */
export function checkMoney(money: Money, field: string): UserError<'VALIDATION'> | null {
  if (!Number.isSafeInteger(money.amount) || money.amount < 0 || money.amount > MAX_PRICE_MINOR_UNITS) {
    return userError('VALIDATION', `Amount must be a whole number of minor units from 0 to ${MAX_PRICE_MINOR_UNITS}.`, `${field}.amount`);
  }
  if (!CURRENCY.test(money.currency)) {
    return userError('VALIDATION', 'Currency must be an ISO 4217 code of three upper-case letters, such as USD.', `${field}.currency`);
  }
  return null;
}
