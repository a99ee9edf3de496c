/**
 * What the subgraphs agree on about the marketplace itself, as opposed to
 * infrastructure (`@coursegraph/runtime`): how money is written and checked,
 * the fixed demo accounts of `npm start` and the ids of its demo courses.
 */
export { checkMoney, MAX_PRICE_MINOR_UNITS, type Money } from './money';
export { DEMO_USERS, demoCourseId, type DemoAccount } from './demo';
