/**
 * Reading configuration from the environment. Every variable is documented
 * in .env.example; services call these helpers once at start and pass the
 * result down, so tests can build a service with their own values.
 */
import type { MetricsConfig } from './metrics';

/** The placeholder secret used in development; refused in production. */
export const DEV_SECRET = 'coursegraph-dev-secret-do-not-use-in-production';

export const isProduction = (): boolean => process.env.NODE_ENV === 'production';

export function readString(name: string, fallback?: string): string {
  const value = process.env[name];
  if (value !== undefined && value !== '') return value;
  if (fallback !== undefined) return fallback;
  throw new Error(`Missing required environment variable ${name}`);
}

export function readInt(name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`Environment variable ${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

export function readBool(name: string, fallback: boolean): boolean {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new Error(`Environment variable ${name} must be true or false, got "${raw}"`);
}

/**
 * A signing secret. Development falls back to DEV_SECRET; production refuses
 * to start with a missing, default or short secret.
 */
export function readSecret(name: string): string {
  const value = process.env[name];
  if (isProduction()) {
    if (!value || value === DEV_SECRET || value.length < 32) {
      throw new Error(`${name} must be set to a random secret of at least 32 characters in production`);
    }
    return value;
  }
  return value || DEV_SECRET;
}

/** Settings every service shares. */
export interface CommonConfig {
  host: string;
  production: boolean;
  /** Verifies gateway-signed identity assertions (gateway -> subgraph). */
  subgraphSecret: string;
  /** Signs and verifies service credentials (order -> course internal calls). */
  serviceSecret: string;
  /** How GET /metrics is served (metrics.ts). */
  metrics: MetricsConfig;
}

export function readCommonConfig(): CommonConfig {
  return {
    host: readString('HOST', '127.0.0.1'),
    production: isProduction(),
    subgraphSecret: readSecret('SUBGRAPH_SECRET'),
    serviceSecret: readSecret('SERVICE_SECRET'),
    metrics: { enabled: readBool('METRICS_ENABLED', true), token: readString('METRICS_TOKEN', '') || null },
  };
}
