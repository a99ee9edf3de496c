/** "3 of 20 seats left", or "Sold out"; the number is what tests and screen readers read. */
export function SeatCount({ seatsAvailable, capacity }: { seatsAvailable: number; capacity: number }) {
  return (
    <span className={seatsAvailable === 0 ? 'seats sold-out' : 'seats'} data-testid="seats" data-seats={seatsAvailable} aria-live="polite">
      {seatsAvailable === 0 ? 'Sold out' : `${seatsAvailable} of ${capacity} ${capacity === 1 ? 'seat' : 'seats'} left`}
    </span>
  );
}
