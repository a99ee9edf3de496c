/**
 * Buying a seat with `placeOrder`, and every answer it can give, said as a
 * buyer would want it (README "What a client is told").
 *
 * One purchase, one idempotency key: the key is made at the first click and
 * sent again by every retry of that purchase (after a network failure, or
 * while the order is still PENDING), so no retry can buy twice. A final
 * answer ends the purchase; the next click is a new one with a new key. A
 * changed price asks before buying at the new price, under a new key (the
 * old key belongs to the old price).
 */
import { useState } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../__generated__';
import { formatMoney, type Money } from '../money';
import { signInHref } from '../router';

const PlaceOrderDocument = graphql(`
  mutation PlaceOrder($input: PlaceOrderInput!) {
    placeOrder(input: $input) {
      order {
        id
        status
      }
      userErrors {
        code
        message
        currentPrice {
          amount
          currency
        }
        retryAfterSeconds
      }
    }
  }
`);

type Outcome =
  | { kind: 'confirmed' }
  | { kind: 'pending' }
  | { kind: 'priceChanged'; price: Money }
  | { kind: 'retry'; message: string }
  | { kind: 'refused'; message: string };

/** What each refusal says; the API's own message for the rest. */
const REFUSALS: Record<string, string> = {
  SOLD_OUT: 'Sold out: the last seat has just gone to someone else.',
  ALREADY_ENROLLED: 'You already have a seat in this course: see My orders.',
  COURSE_NOT_PUBLISHED: 'This course is no longer on sale.',
  NOT_FOUND: 'This course is no longer on sale.',
};

export function BuyButton(props: { courseId: string; price: Money; seatsAvailable: number; signedIn: boolean }) {
  const [purchase, setPurchase] = useState<{ key: string; price: Money } | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [{ fetching }, placeOrder] = useMutation(PlaceOrderDocument);

  if (!props.signedIn) {
    return (
      <a className="button" href={signInHref(window.location.hash)} data-testid="buy">
        Sign in to buy
      </a>
    );
  }

  const buy = async (price: Money) => {
    const samePurchase = purchase && purchase.price.amount === price.amount && purchase.price.currency === price.currency;
    const current = samePurchase ? purchase : { key: crypto.randomUUID(), price };
    setPurchase(current);
    setOutcome(null);
    // Only the input's fields: a price read from a result also carries __typename, which MoneyInput refuses.
    const expectedPrice = { amount: price.amount, currency: price.currency };
    const result = await placeOrder({ input: { courseId: props.courseId, expectedPrice, idempotencyKey: current.key } });
    const answer = result.data?.placeOrder;
    if (!answer) {
      // Nothing is known: keep the key, so trying again cannot buy a second seat.
      setOutcome({ kind: 'retry', message: 'The order could not be sent. Try again: you will not be charged twice.' });
      return;
    }
    const error = answer.userErrors[0];
    if (error?.code === 'ORDER_PENDING') {
      setOutcome({ kind: 'pending' });
      return;
    }
    setPurchase(null);
    if (answer.order?.status === 'CONFIRMED') setOutcome({ kind: 'confirmed' });
    else if (error?.code === 'PRICE_CHANGED' && error.currentPrice) setOutcome({ kind: 'priceChanged', price: error.currentPrice });
    else if (error?.code === 'RATE_LIMITED')
      setOutcome({ kind: 'refused', message: `Too many orders at once; try again in ${error.retryAfterSeconds ?? 60} s.` });
    else if (answer.order?.status === 'FAILED')
      setOutcome({ kind: 'refused', message: `${error?.message ?? 'The order failed.'} You were not charged.` });
    else setOutcome({ kind: 'refused', message: (error && REFUSALS[error.code]) ?? error?.message ?? 'The order was not placed.' });
  };

  // A purchase whose outcome is not known yet can always be asked again, even when the seat count shows 0 (its own seat).
  const unsettled = outcome?.kind === 'pending' || outcome?.kind === 'retry';
  const soldOut = props.seatsAvailable === 0 && !unsettled;
  if (outcome?.kind === 'confirmed') {
    return (
      <p className="success" data-testid="order-confirmed">
        Your seat is booked. <a href="#/orders">See My orders</a>
      </p>
    );
  }
  return (
    <div className="buy">
      {outcome?.kind === 'priceChanged' ? (
        <>
          <p className="warning" data-testid="price-changed">
            The price has changed from {formatMoney(props.price)} to {formatMoney(outcome.price)}.
          </p>
          <button data-testid="buy" disabled={fetching || soldOut} onClick={() => void buy(outcome.price)}>
            Buy for {formatMoney(outcome.price)}
          </button>
        </>
      ) : (
        <button data-testid="buy" disabled={fetching || soldOut} onClick={() => void buy(purchase?.price ?? props.price)}>
          {fetching ? 'Booking your seat…' : soldOut ? 'Sold out' : unsettled ? 'Try again' : `Buy for ${formatMoney(props.price)}`}
        </button>
      )}
      {outcome?.kind === 'pending' && (
        <p className="muted" data-testid="order-pending">
          Your order is still being confirmed. Check again, or see My orders in a minute.
        </p>
      )}
      {(outcome?.kind === 'retry' || outcome?.kind === 'refused') && (
        <p className="error" role="alert" data-testid="order-refused">
          {outcome.message}
        </p>
      )}
    </div>
  );
}
