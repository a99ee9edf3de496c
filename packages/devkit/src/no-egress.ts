/** Every test file fails if anything in it tried to connect off this machine (packages/devkit/src/egress.ts). */
import { attemptedEgress } from './egress';

// The record is per worker process: start each file from an empty one.
beforeAll(() => {
  attemptedEgress.splice(0);
});

afterAll(() => {
  expect(attemptedEgress).toEqual([]);
});
