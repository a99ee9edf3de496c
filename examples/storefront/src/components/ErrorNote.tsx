/**
 * A failed request in words a buyer can act on. A network failure and
 * SERVICE_UNAVAILABLE (`extensions.retryable`) say "try again"; anything else
 * shows the API's message. The request id (`extensions.requestId`) is shown
 * so that a support request can be matched with the gateway's logs.
 */
import type { CombinedError } from 'urql';

export function ErrorNote({ error }: { error?: CombinedError }) {
  if (!error) return null;
  const first = error.graphQLErrors[0];
  const requestId = first?.extensions?.requestId;
  const message = error.networkError
    ? 'The store cannot be reached. Check your connection and try again.'
    : first?.extensions?.retryable
      ? 'The store is busy right now. Please try again in a moment.'
      : (first?.message ?? 'Something went wrong.');
  return (
    <p className="error" role="alert" data-testid="error">
      {message}
      {typeof requestId === 'string' && <span className="muted"> (request {requestId})</span>}
    </p>
  );
}
