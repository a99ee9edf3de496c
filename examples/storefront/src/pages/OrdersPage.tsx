/**
 * The signed-in student's orders, newest first, with a cancel button for
 * confirmed ones. A cancellation still in progress (ORDER_PENDING, the order
 * CANCELLING) is shown as such; cancelling again asks for its outcome.
 */
import { useMutation, useQuery } from 'urql';
import { graphql } from '../__generated__';
import { ErrorNote } from '../components/ErrorNote';
import { formatMoney } from '../money';
import { courseHref, signInHref } from '../router';
import { useSession } from '../use-session';

const MyOrdersDocument = graphql(`
  query MyOrders {
    me {
      id
      orders(first: 50) {
        edges {
          node {
            id
            status
            createdAt
            pricePaid {
              amount
              currency
            }
            course {
              id
              title
            }
          }
        }
      }
    }
  }
`);

const CancelOrderDocument = graphql(`
  mutation CancelOrder($input: CancelOrderInput!) {
    cancelOrder(input: $input) {
      order {
        id
        status
      }
      userErrors {
        code
        message
      }
    }
  }
`);

const STATUS: Record<string, string> = {
  PENDING: 'Being confirmed',
  CONFIRMED: 'Confirmed',
  CANCELLING: 'Being cancelled',
  CANCELLED: 'Cancelled',
  FAILED: 'Failed (not charged)',
};

export function OrdersPage() {
  const session = useSession();
  const [result] = useQuery({ query: MyOrdersDocument, pause: !session, requestPolicy: 'cache-and-network' });
  const [cancelState, cancelOrder] = useMutation(CancelOrderDocument);

  if (!session) {
    return (
      <p>
        <a href={signInHref('#/orders')}>Sign in</a> to see your orders.
      </p>
    );
  }
  const orders = result.data?.me?.orders.edges.map((edge) => edge.node) ?? [];
  const cancelError = cancelState.data?.cancelOrder.userErrors[0];
  return (
    <section>
      <h1>My orders</h1>
      <ErrorNote error={result.error ?? cancelState.error} />
      {cancelError && cancelError.code !== 'ORDER_PENDING' && (
        <p className="error" role="alert">
          {cancelError.message}
        </p>
      )}
      {result.data && orders.length === 0 && <p>No orders yet.</p>}
      <table className="orders" data-testid="orders">
        <tbody>
          {orders.map((order) => (
            <tr key={order.id} data-testid="order" data-order-id={order.id} data-status={order.status}>
              <td>
                <a href={courseHref(order.course.id)}>{order.course.title}</a>
              </td>
              <td>{formatMoney(order.pricePaid)}</td>
              <td>{new Date(order.createdAt).toLocaleString()}</td>
              <td data-testid="order-status">{STATUS[order.status] ?? order.status}</td>
              <td>
                {(order.status === 'CONFIRMED' || order.status === 'CANCELLING') && (
                  <button disabled={cancelState.fetching} onClick={() => void cancelOrder({ input: { orderId: order.id } })} data-testid="cancel">
                    {order.status === 'CANCELLING' ? 'Check cancellation' : 'Cancel'}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
