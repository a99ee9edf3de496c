/**
 * What the subgraphs agree on about the marketplace itself, as opposed to
 * infrastructure (`@coursegraph/runtime`): how money is written and checked,
 * and the fixed demo accounts of `npm start`.
 */
export { checkMoney, MAX_PRICE_MINOR_UNITS, type Money } from './money';
export { DEMO_USERS, type DemoAccount } from './demo';
