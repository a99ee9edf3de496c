/**
 * Subscriptions through the gateway, over graphql-ws on the same URL as HTTP.
 *
 * @apollo/gateway plans subscriptions but will not execute them, so the
 * gateway runs the plan itself (plan.ts): the subscription's `primary` fetch
 * runs as a graphql-ws subscription on the subgraph that owns the root field,
 * and each event it yields is completed by @apollo/gateway's own
 * executeQueryPlan, exactly as a query would be.
 *
 * Clients asking the same operation with the same variables as the same
 * viewer share one upstream subscription and one plan execution per event
 * (a "topic", sharing.ts); each event is serialised once and the same text
 * is written to every client's socket under its own id (delivery.ts). A
 * client joining a running topic starts from the current state, and the
 * upstream subscription closes as soon as the last client of a topic leaves
 * (topic.ts). On a versioned stream a topic delivers
 * each key's versions in strictly increasing order, also across upstream
 * reconnects (versioning.ts).
 *
 * Every credential a subscription carries is signed when it is used (plan.ts).
 * The connection itself closes (4419) when the user's access token expires;
 * messages, connections and the wait for `connection_init` are bounded
 * (connection.ts). Each connection keeps its own record of the subscriptions
 * it holds (session.ts). server.ts puts these together on graphql-ws, and
 * prepare.ts checks each subscribe as HTTP checks a request.
 */
export { attachSubscriptions, type SubscriptionOptions, type SubscriptionServer } from './server';
export { CloseCodes, type WebSocketLimits } from './connection';
export { MAX_BACKLOG } from './delivery';
