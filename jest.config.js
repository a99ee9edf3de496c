/** Unit and subgraph tests beside each package, end-to-end tests in tests/; all against real PostgreSQL. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/subgraphs', '<rootDir>/gateway', '<rootDir>/packages', '<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
  globalSetup: '<rootDir>/packages/devkit/src/global-setup.ts',
  globalTeardown: '<rootDir>/packages/devkit/src/global-teardown.ts',
  setupFiles: ['<rootDir>/packages/devkit/src/env.ts'],
  setupFilesAfterEnv: ['<rootDir>/packages/devkit/src/no-egress.ts'],
  testTimeout: 60_000,
  maxWorkers: 2,
};
