/**
 * coursegraph sends nothing off the machine it runs on: no usage telemetry,
 * no cloud metadata probes (169.254.169.254), only its own services and
 * databases. @apollo/gateway would otherwise export usage metrics to Apollo
 * and probe the AWS, GCP, Azure and Alibaba metadata endpoints at start.
 * (Every other test file is checked the same way when it ends:
 * packages/devkit/src/no-egress.ts.)
 */
import net from 'node:net';
import { attemptedEgress } from '@coursegraph/devkit/egress';
import { createCourse } from '@coursegraph/devkit/fixtures';
import { startStack, type Stack } from '@coursegraph/devkit/stack';

let stack: Stack;

afterAll(async () => {
  await stack?.stop();
});

test('the guard itself records and refuses a connection off the machine', async () => {
  const before = attemptedEgress.length;
  const socket = net.connect({ host: '192.0.2.1', port: 9 }); // TEST-NET-1 (RFC 5737): never routed
  const error = await new Promise<Error>((resolve) => socket.once('error', resolve));
  expect(error.message).toMatch(/test egress guard/);
  expect(attemptedEgress.slice(before)).toEqual(['192.0.2.1:9']);
  attemptedEgress.splice(before);
});

test('a whole stack, started and used, tries no connection off the machine', async () => {
  stack = await startStack();
  await createCourse(stack);
  // Give anything started in the background (resource detectors, exporters) time to try.
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  expect(attemptedEgress).toEqual([]);
});
