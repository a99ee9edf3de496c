/** Input checks shared by the subgraphs; each returns a user error or null. */
import { userError, type Money, type UserError } from './errors';
import { isUuid } from './identity';
import { isCleanText, NOT_TEXT_MESSAGE } from './inputs';

export const MAX_PRICE_MINOR_UNITS = 100_000_000;
const CURRENCY = /^[A-Z]{3}$/;

export function checkMoney(money: Money, field: string): UserError | null {
  if (!Number.isSafeInteger(money.amount) || money.amount < 0 || money.amount > MAX_PRICE_MINOR_UNITS) {
    return userError('VALIDATION', `Amount must be a whole number of minor units from 0 to ${MAX_PRICE_MINOR_UNITS}.`, `${field}.amount`);
  }
  if (!CURRENCY.test(money.currency)) {
    return userError('VALIDATION', 'Currency must be an ISO 4217 code of three upper-case letters, such as USD.', `${field}.currency`);
  }
  return null;
}

export function checkId(id: string, field: string): UserError | null {
  return isUuid(id) ? null : userError('VALIDATION', 'Not a valid id.', field);
}

// Tab and line breaks, the Unicode line and paragraph separators included: allowed only in multiline text.
const LINE_BREAK = /[\t\n\r\u2028\u2029]/;

/** Free text: trimmed length within bounds, only what isCleanText allows (`multiline` allows tabs and line breaks). */
export function checkText(value: string, field: string, min: number, max: number, multiline = false): UserError | null {
  const length = value.trim().length;
  if (length < min || length > max) {
    return userError('VALIDATION', min > 0 ? `Must be ${min} to ${max} characters.` : `Must be at most ${max} characters.`, field);
  }
  if (!isCleanText(value) || (!multiline && LINE_BREAK.test(value))) {
    return userError('VALIDATION', NOT_TEXT_MESSAGE, field);
  }
  return null;
}
