import {
  MAX_ACCESS_TOKEN_TTL_SECONDS,
  readBool,
  readCommonConfig,
  readDatabasePoolSize,
  readInt,
  readSecret,
  readString,
  type CommonConfig,
} from '@coursegraph/runtime';

export interface AccountsConfig extends CommonConfig {
  port: number;
  databaseUrl: string;
  /** Connections its database pool opens at most (DATABASE_POOL_SIZE). */
  databasePoolSize: number;
  /** Signs access tokens (the gateway verifies them with the same secret). */
  jwtSecret: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** Login and register attempts allowed per client address, and per e-mail address, in each window. */
  rateLimitPerAddress: number;
  rateLimitPerEmail: number;
  rateLimitWindowSeconds: number;
  /** Create the demo accounts at start (npm start). */
  demoData: boolean;
}

export function readAccountsConfig(): AccountsConfig {
  return {
    ...readCommonConfig(),
    port: readInt('ACCOUNTS_PORT', 4003, 0, 65535),
    databaseUrl: readString('ACCOUNTS_DATABASE_URL'),
    databasePoolSize: readDatabasePoolSize(),
    jwtSecret: readSecret('JWT_SECRET'),
    accessTokenTtlSeconds: readInt('ACCESS_TOKEN_TTL_SECONDS', 15 * 60, 10, MAX_ACCESS_TOKEN_TTL_SECONDS),
    refreshTokenTtlSeconds: readInt('REFRESH_TOKEN_TTL_SECONDS', 7 * 24 * 60 * 60, 60),
    rateLimitPerAddress: readInt('AUTH_RATE_LIMIT_PER_ADDRESS', 30, 1),
    rateLimitPerEmail: readInt('AUTH_RATE_LIMIT_PER_EMAIL', 5, 1),
    rateLimitWindowSeconds: readInt('AUTH_RATE_LIMIT_WINDOW_SECONDS', 60, 1),
    demoData: readBool('DEMO_DATA', false),
  };
}
