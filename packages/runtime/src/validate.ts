/** Input checks shared by the subgraphs; each returns a VALIDATION user error naming the field, or null. */
import { userError, type UserError } from './errors';
import { isUuid } from './identity';
import { isCleanText, NOT_TEXT_MESSAGE } from './inputs';

export function checkId(id: string, field: string): UserError<'VALIDATION'> | null {
  return isUuid(id) ? null : userError('VALIDATION', 'Not a valid id.', field);
}

// Tab and line breaks, the Unicode line and paragraph separators included: allowed only in multiline text.
const LINE_BREAK = /[\t\n\r\u2028\u2029]/;

/** Free text: trimmed length within bounds, only what isCleanText allows (`multiline` allows tabs and line breaks). */
export function checkText(value: string, field: string, min: number, max: number, multiline = false): UserError<'VALIDATION'> | null {
  const length = value.trim().length;
  if (length < min || length > max) {
    return userError('VALIDATION', min > 0 ? `Must be ${min} to ${max} characters.` : `Must be at most ${max} characters.`, field);
  }
  if (!isCleanText(value) || (!multiline && LINE_BREAK.test(value))) {
    return userError('VALIDATION', NOT_TEXT_MESSAGE, field);
  }
  return null;
}
