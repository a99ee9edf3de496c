// @ts-check
/**
 * Mutation testing (StrykerJS) of the modules that guard money, seats and
 * identity: `npm run test:mutation` (README, "Test it"). Too slow for every CI
 * run, so it is a separate command. Reports go to reports/mutation/
 * (git-ignored); mutants judged equivalent are listed in
 * stryker.equivalent-mutants.md.
 *
 * One module at a time: `npm run test:mutation -- --mutate subgraphs/course/src/sweeper.ts`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The npm workspaces, by package name (`@coursegraph/<name>`). */
const workspaces = {
  runtime: 'packages/runtime',
  accounts: 'subgraphs/accounts',
  course: 'subgraphs/course',
  order: 'subgraphs/order',
  gateway: 'gateway',
  client: 'packages/client',
  domain: 'packages/domain',
};

/**
 * `file:first-last`, the lines of the first block that starts at a line
 * matching `start` and ends at the next line matching `end`. Found by
 * pattern, not by number, so edits elsewhere in the file do not shift the
 * range; throws when the block is gone, so a rename is noticed.
 */
function block(file, start, end) {
  const lines = readFileSync(new URL(file, import.meta.url), 'utf8').split('\n');
  const first = lines.findIndex((line) => start.test(line));
  const last = first < 0 ? -1 : lines.findIndex((line, index) => index > first && end.test(line));
  if (last < 0) throw new Error(`stryker.config.mjs: no block ${start} .. ${end} in ${file}`);
  return `${file}:${first + 1}-${last + 1}`;
}

/** The gateway's subscriptions (gateway/src/subscriptions/), by file. */
const subscriptions = (file) => `gateway/src/subscriptions/${file}`;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  mutate: [
    'subgraphs/course/src/seats.ts',
    'subgraphs/course/src/counters.ts',
    'subgraphs/course/src/sweeper.ts',
    // The saga, split since the measured run into saga.ts (placeOrder), answers.ts, settle.ts and cancel.ts.
    'subgraphs/order/src/saga.ts',
    'subgraphs/order/src/answers.ts',
    'subgraphs/order/src/settle.ts',
    'subgraphs/order/src/cancel.ts',
    'subgraphs/order/src/budget.ts',
    'subgraphs/order/src/orders.ts',
    'subgraphs/order/src/reconciler.ts',
    'packages/runtime/src/identity.ts',
    'subgraphs/accounts/src/sessions.ts',
    'gateway/src/auth.ts',
    // Only the sharing of upstream subscriptions (the topic key, a topic's
    // fan-out, replay of the latest events, versions, teardown), with the
    // planning of a topic's events and the masking of their errors. The rest
    // of the folder (parsing, limits, connection caps) is request plumbing that
    // the HTTP limits tests already pin down, and mutating all of it would
    // double the run for mutants outside the scope.
    block(subscriptions('topic.ts'), /^export class Topic\b/, /^}/),
    block(subscriptions('sharing.ts'), /^ {2}function createTopic\(/, /^ {2}}$/),
    block(subscriptions('sharing.ts'), /^ {2}function subscribe\(/, /^ {2}}$/),
    block(subscriptions('plan.ts'), /^ {2}return function plan\(/, /^ {2}};$/),
    block(subscriptions('session.ts'), /^export function setUp\(/, /^}/),
    block('packages/runtime/src/websocket.ts', /^export function asGraphQLError\(/, /^}/),
    block('packages/runtime/src/websocket.ts', /^export function webSocketErrorMask\(/, /^}/),
  ],

  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    configFile: 'jest.config.js',
    config: {
      // Stryker runs the tests in a sandbox copy of the repository, but
      // `@coursegraph/<name>` resolves through the node_modules symlinks to the
      // original tree, where no mutant is ever active. Map each workspace to
      // the sandbox's own source instead.
      moduleNameMapper: {
        ...Object.fromEntries(Object.entries(workspaces).map(([name, dir]) => [`^@coursegraph/${name}$`, `<rootDir>/${dir}/src/index.ts`])),
        '^@coursegraph/devkit/(.+)$': '<rootDir>/packages/devkit/src/$1.ts',
      },
      // Left out: the tests that run the services as their own processes. Per-test
      // coverage cannot see what a child process runs, so they would be picked
      // only for the identity mutants their harness reaches in-process (signing
      // tokens), at 86 s (faults, 7 tests) and 8 s (scripts) per such mutant,
      // measured on the 2-core machine; everything they exercise is also
      // exercised in-process by the other tests. tests/production-start.e2e.test.ts
      // also runs the built output, which mutants of src/ do not reach; instances
      // (eight service processes) and start-without-demo-data (npm start) likewise.
      // The storefront's browser test guards the client, not the services: its
      // service paths are the in-process tests' own, at ~40 s per run (a Chromium).
      // Jest's node environment with a bail: a mutant's run stops at its first failure (see the file).
      testEnvironment: fileURLToPath(new URL('./mutation/bail-environment.cjs', import.meta.url)),
      // Each mutant run loads only the test files holding the tests that reached it (see the file).
      testSequencer: fileURLToPath(new URL('./mutation/test-sequencer.cjs', import.meta.url)),
      testPathIgnorePatterns: [
        '/node_modules/',
        '<rootDir>/tests/faults\\.e2e\\.test\\.ts$',
        '<rootDir>/tests/scripts\\.e2e\\.test\\.ts$',
        '<rootDir>/tests/production-start\\.e2e\\.test\\.ts$',
        '<rootDir>/tests/instances\\.e2e\\.test\\.ts$',
        '<rootDir>/tests/start-without-demo-data\\.e2e\\.test\\.ts$',
        '<rootDir>/tests/storefront\\.browser\\.test\\.ts$',
      ],
    },
    // Each mutant runs only the test files that import its module (and, with
    // perTest coverage, only the tests that reached it).
    enableFindRelatedTests: true,
  },
  coverageAnalysis: 'perTest',
  // Mutants reached only while a file is loaded or in beforeAll hooks are not
  // attributed to any test; they are reported as Ignored instead of running
  // every test for each of them.
  ignoreStatic: true,

  checkers: ['typescript'],
  // The mutated sources only, with the workspaces mapped to the sandbox's own source (as above).
  tsconfigFile: 'tsconfig.stryker.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  // ts-jest transpiles without type checks (isolatedModules); this keeps it so for instrumented files.
  disableTypeChecks: '{gateway,packages,subgraphs}/**/src/**/*.ts',

  // Two cores: one jest process per core. Every test file creates its own
  // databases, so a mutant run costs seconds; timeouts are generous because a
  // loaded machine slows real PostgreSQL and HTTP round trips, and a false
  // Timeout would count as a kill.
  concurrency: 2,
  timeoutMS: 30_000,
  timeoutFactor: 2,
  dryRunTimeoutMinutes: 60,

  reporters: ['html', 'clear-text', 'progress', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
