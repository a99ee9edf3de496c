/**
 * The default time limits nest (README, "Time budgets"): one course call
 * attempt < the saga's forward steps + compensation < the gateway's
 * client-facing limit < the age at which the reconciler takes an order over.
 * And .env.example states the defaults the code has.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readOrderConfig } from '../src/config';
import { readGatewayConfig } from '@coursegraph/gateway';

const VARIABLES = [
  'COURSE_CALL_TIMEOUT_MS',
  'COURSE_CALL_DEADLINE_MS',
  'COMPENSATION_DEADLINE_MS',
  'RECONCILE_AFTER_SECONDS',
  'RECONCILE_INTERVAL_SECONDS',
  'AUDIT_INTERVAL_SECONDS',
  'SUBGRAPH_TIMEOUT_MS',
];

const saved = { ...process.env };
beforeEach(() => {
  for (const name of VARIABLES) delete process.env[name];
  process.env.ORDER_DATABASE_URL = 'postgres://unused/none';
});
afterEach(() => {
  process.env = { ...saved };
});

test('the default time limits nest', () => {
  const order = readOrderConfig();
  const gateway = readGatewayConfig();
  expect(order.courseCallTimeoutMs).toBeLessThan(order.courseCallDeadlineMs);
  expect(order.courseCallDeadlineMs + order.compensationDeadlineMs).toBeLessThan(gateway.subgraphTimeoutMs);
  expect(gateway.subgraphTimeoutMs).toBeLessThan(order.reconcileAfterSeconds * 1000);
});

test('.env.example states the defaults the code has', () => {
  const example = readFileSync(join(__dirname, '..', '..', '..', '.env.example'), 'utf8');
  const stated = Object.fromEntries([...example.matchAll(/^([A-Z_]+)=(\d+)$/gm)].map((m) => [m[1], Number(m[2])]));
  const order = readOrderConfig();
  const gateway = readGatewayConfig();
  expect(VARIABLES.map((name) => [name, stated[name]])).toEqual([
    ['COURSE_CALL_TIMEOUT_MS', order.courseCallTimeoutMs],
    ['COURSE_CALL_DEADLINE_MS', order.courseCallDeadlineMs],
    ['COMPENSATION_DEADLINE_MS', order.compensationDeadlineMs],
    ['RECONCILE_AFTER_SECONDS', order.reconcileAfterSeconds],
    ['RECONCILE_INTERVAL_SECONDS', order.reconcileIntervalSeconds],
    ['AUDIT_INTERVAL_SECONDS', order.auditIntervalSeconds],
    ['SUBGRAPH_TIMEOUT_MS', gateway.subgraphTimeoutMs],
  ]);
});
