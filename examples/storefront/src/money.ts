/**
 * Money in the API is an integer amount in the currency's minor unit (cents)
 * and an ISO 4217 code (DESIGN.md, API conventions); `formatMoney({ amount:
 * 9900, currency: 'USD' })` -> "$99.00". The number of minor-unit digits
 * comes from Intl (2 for USD and EUR, 0 for JPY).
 */
export interface Money {
  amount: number;
  currency: string;
}

export function formatMoney({ amount, currency }: Money): string {
  const format = new Intl.NumberFormat('en', { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amount / 10 ** digits);
}
