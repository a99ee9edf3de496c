import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEV_SECRET, readCommonConfig, readSecret } from '../src/config';

const root = join(__dirname, '..', '..', '..');

describe('secrets', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  test('development falls back to the public placeholder', () => {
    delete process.env.TEST_SECRET;
    process.env.NODE_ENV = 'development';
    expect(readSecret('TEST_SECRET')).toBe(DEV_SECRET);
  });

  test.each([
    ['missing', undefined],
    ['the development placeholder', DEV_SECRET],
    ['too short', 'short-secret'],
  ])('production refuses a secret that is %s', (_case, value) => {
    process.env.NODE_ENV = 'production';
    if (value === undefined) delete process.env.TEST_SECRET;
    else process.env.TEST_SECRET = value;
    expect(() => readSecret('TEST_SECRET')).toThrow(/TEST_SECRET must be set/);
  });

  test('production accepts a long random secret', () => {
    process.env.NODE_ENV = 'production';
    process.env.TEST_SECRET = 'x9'.repeat(20);
    expect(readSecret('TEST_SECRET')).toBe('x9'.repeat(20));
  });
});

describe('metrics', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  test('served without a token by default, as .env.example states; METRICS_ENABLED and METRICS_TOKEN change that', () => {
    delete process.env.METRICS_ENABLED;
    delete process.env.METRICS_TOKEN;
    expect(readCommonConfig().metrics).toEqual({ enabled: true, token: null });
    const example = readFileSync(join(root, '.env.example'), 'utf8');
    expect(example).toMatch(/^METRICS_ENABLED=true$/m);
    expect(example).toMatch(/^METRICS_TOKEN=$/m);
    process.env.METRICS_ENABLED = 'false';
    process.env.METRICS_TOKEN = 'a-scrape-token';
    expect(readCommonConfig().metrics).toEqual({ enabled: false, token: 'a-scrape-token' });
  });
});

describe('every service refuses to start in production with default secrets', () => {
  test.each(['gateway/src/main.ts', 'subgraphs/accounts/src/main.ts', 'subgraphs/course/src/main.ts', 'subgraphs/order/src/main.ts'])(
    '%s',
    (entry) => {
      const result = spawnSync(process.execPath, ['--import', 'tsx', entry], {
        cwd: root,
        env: {
          PATH: process.env.PATH,
          NODE_ENV: 'production',
          ACCOUNTS_DATABASE_URL: 'postgres://127.0.0.1:1/none',
          COURSE_DATABASE_URL: 'postgres://127.0.0.1:1/none',
          ORDER_DATABASE_URL: 'postgres://127.0.0.1:1/none',
        },
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/_SECRET must be set to a random secret/);
    },
  );
});
