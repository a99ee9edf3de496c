/**
 * Traces (OpenTelemetry), switched on only by the standard OTEL_* variables
 * and off by default. A public entry of its own (`@coursegraph/runtime/tracing`),
 * not part of the runtime's index: it must run before anything loads
 * express, pg, graphql or the HTTP clients, because the instrumentations
 * patch those modules as they are required. Each service's `src/instrument.ts`
 * calls `startTracing` and is the first import of its `src/main.ts`.
 *
 * On or off (tracesExporters below, the spec's variables with one difference:
 * nothing set means off, not OTLP to localhost):
 * - `OTEL_SDK_DISABLED=true`, or `OTEL_TRACES_EXPORTER=none`: off.
 * - `OTEL_TRACES_EXPORTER=otlp` (OTLP over HTTP, JSON, to
 *   `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, or `OTEL_EXPORTER_OTLP_ENDPOINT` +
 *   `/v1/traces`, default http://localhost:4318/v1/traces) and/or `console`
 *   (spans printed to stdout): on.
 * - `OTEL_TRACES_EXPORTER` unset but an OTLP endpoint set: otlp.
 * - Otherwise off. Off loads no SDK at all: @apollo/gateway's and the order
 *   saga's spans go to @opentelemetry/api's no-op tracer.
 *
 * The service name is the one `startTracing` is given unless
 * OTEL_SERVICE_NAME sets one. The other OTEL_* variables (sampler, batch
 * sizes, headers, resource attributes) are read by the SDK itself.
 */
import type { InstrumentationBase } from '@opentelemetry/instrumentation';
import type { tracing } from '@opentelemetry/sdk-node';
import type { SdkHandle, TracesExporter } from './tracing-sdk';

export type { TracesExporter };

const EXPORTERS: readonly string[] = ['otlp', 'console'] satisfies TracesExporter[];

/**
 * The exporters `env` asks for: empty when traces are off. Throws on a name
 * other than otlp, console or none, so a misspelt setting fails the start
 * instead of silently tracing nothing.
 */
export function tracesExporters(env: NodeJS.ProcessEnv = process.env): TracesExporter[] {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return [];
  const names = (env.OTEL_TRACES_EXPORTER ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  if (names.length === 0) return env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() ? ['otlp'] : [];
  const unknown = names.filter((name) => name !== 'none' && !EXPORTERS.includes(name));
  if (unknown.length > 0) throw new Error(`OTEL_TRACES_EXPORTER: unknown exporter ${unknown.join(', ')} (coursegraph knows otlp, console and none)`);
  return names.includes('none') ? [] : [...new Set(names as TracesExporter[])];
}

let running: SdkHandle | null = null;

/** What startTracing may be given besides the service name. */
export interface TracingOptions {
  /** Where OTEL_* are read (default process.env). */
  env?: NodeJS.ProcessEnv;
  /**
   * Span processors to use instead of the exporters `env` names; given, they
   * start the SDK whatever `env` says (tests collect spans in memory this way).
   */
  spanProcessors?: tracing.SpanProcessor[];
  /** The process faces clients (the gateway): trace context arriving with a request is ignored, each request starts its own trace. */
  edge?: boolean;
}

/**
 * Starts the OpenTelemetry SDK for `serviceName` (for example
 * `coursegraph-order`) when the environment switches traces on, or with
 * `options.spanProcessors`; returns whether it started. A second start while
 * it runs is refused with an Error.
 */
export function startTracing(serviceName: string, options: TracingOptions = {}): boolean {
  const env = options.env ?? process.env;
  const exporters = options.spanProcessors ? [] : tracesExporters(env);
  if (!options.spanProcessors && exporters.length === 0) return false;
  if (running) throw new Error('tracing is already started in this process');
  // Required only now, so that a service with traces off never loads the SDK and its exporters.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require('./tracing-sdk') as typeof import('./tracing-sdk');
  running = sdk.startSdk(
    env.OTEL_SERVICE_NAME?.trim() ? undefined : serviceName,
    options.spanProcessors ?? exporters.map(sdk.exportingProcessor),
    options.edge,
  );
  return true;
}

/**
 * The instrumentations of the running SDK (empty when it does not run). Their
 * require hooks see only modules loaded by Node's require; a test runner with
 * a module registry of its own (jest) applies their patches itself.
 */
export function tracingInstrumentations(): InstrumentationBase[] {
  return running?.instrumentations ?? [];
}

/** Whether this process runs the SDK (started by startTracing). */
export function tracingStarted(): boolean {
  return running !== null;
}

/** Exports the spans still buffered and stops the SDK; resolves at once when tracing is off. Never rejects. */
export async function stopTracing(): Promise<void> {
  const stopping = running;
  running = null;
  await stopping?.shutdown().catch(() => undefined);
}
