/**
 * The OpenTelemetry SDK as coursegraph runs it: which libraries are
 * instrumented, how, and where spans go. Loaded only when traces are on
 * (tracing.ts, which says which variables switch them on), and by tests that
 * collect spans in memory.
 *
 * Instrumented: node:http (server spans for every request but /health,
 * /ready and /metrics, their query strings cut to the parameter names;
 * client spans, with the W3C traceparent header, for the gateway's and the
 * order saga's calls, which both use the runtime's http-client.ts on node:http), express (only to name server spans by route,
 * such as `POST /graphql`; no span per middleware), graphql (parse, validate
 * and an execute span named by the operation, such as `mutation Purchase`; no
 * span per resolver; literal argument values replaced by `*`) and pg (one span
 * per statement, its SQL text with $n placeholders and never the parameter
 * values; only inside a traced request, so background jobs' queries make no
 * root spans; no spans for pool connects). @apollo/gateway emits its own
 * spans (gateway.request, gateway.plan, gateway.execute, gateway.fetch)
 * through @opentelemetry/api once a provider is registered.
 */
import type { IncomingMessage } from 'node:http';
import { api, core, NodeSDK, tracing } from '@opentelemetry/sdk-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import type { InstrumentationBase } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { GraphQLInstrumentation } from '@opentelemetry/instrumentation-graphql';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';

/** Span exporters coursegraph can switch on by OTEL_TRACES_EXPORTER (tracing.ts). */
export type TracesExporter = 'otlp' | 'console';

/** Requests that are not work done for a client: probes and scrapes. */
const UNTRACED_PATHS = /^\/(health|ready|metrics)(\/|\?|$)/;

/**
 * A server span's `url.query` with every value dropped (`query&variables`):
 * a GET /graphql carries its variables there, and any parameter may be a
 * credential; the instrumentation redacts only a few names it knows. {} without a query string.
 */
function queryNamesOnly(url: string | undefined): Record<string, string> {
  const search = url?.split('?')[1];
  return search ? { 'url.query': [...new URLSearchParams(search).keys()].join('&') } : {};
}

/** The instrumentations coursegraph uses, configured as the module docstring says; new instances on each call. */
export function createInstrumentations(): InstrumentationBase[] {
  return [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (request: IncomingMessage) => UNTRACED_PATHS.test(request.url ?? ''),
      startIncomingSpanHook: (request) => queryNamesOnly((request as IncomingMessage).url),
    }),
    new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE, ExpressLayerType.REQUEST_HANDLER, ExpressLayerType.ROUTER] }),
    new GraphQLInstrumentation({ ignoreResolveSpans: true, allowValues: false }),
    new PgInstrumentation({ enhancedDatabaseReporting: false, requireParentSpan: true, ignoreConnectSpans: true }),
  ];
}

/** A batching span processor (sizes and delays from OTEL_BSP_*) in front of `exporter`'s span exporter. */
export function exportingProcessor(exporter: TracesExporter): tracing.SpanProcessor {
  return new tracing.BatchSpanProcessor(exporter === 'otlp' ? new OTLPTraceExporter() : new tracing.ConsoleSpanExporter());
}

export interface SdkHandle {
  /** The instrumentations the SDK enabled (tests apply their patches to modules loaded outside Node's require). */
  instrumentations: InstrumentationBase[];
  /** Exports what is buffered and stops. */
  shutdown(): Promise<void>;
}

/**
 * W3C trace context sent on every outgoing call but never taken from an
 * incoming one: at the edge (the gateway) a trace starts, so a client can
 * neither choose its trace id nor switch its request's tracing off with a
 * `-00` traceparent.
 */
class InjectOnlyPropagator implements api.TextMapPropagator {
  private readonly w3c = new core.W3CTraceContextPropagator();
  inject(context: api.Context, carrier: unknown, setter: api.TextMapSetter): void {
    this.w3c.inject(context, carrier, setter);
  }
  extract(context: api.Context): api.Context {
    return context;
  }
  fields(): string[] {
    return this.w3c.fields();
  }
}

/**
 * Starts the SDK with `spanProcessors` and registers it as the global tracer
 * provider, the propagator (W3C trace context and baggage; at the `edge`,
 * trace context sent but never read, InjectOnlyPropagator), and the
 * instrumentations. `serviceName` undefined leaves the name to
 * OTEL_SERVICE_NAME. Traces only: no metric readers or log processors, so
 * OTEL_METRICS_EXPORTER and OTEL_LOGS_EXPORTER start nothing.
 */
export function startSdk(serviceName: string | undefined, spanProcessors: tracing.SpanProcessor[], edge = false): SdkHandle {
  const instrumentations = createInstrumentations();
  const textMapPropagator = edge ? new InjectOnlyPropagator() : undefined;
  const sdk = new NodeSDK({ serviceName, spanProcessors, instrumentations, textMapPropagator, metricReaders: [], logRecordProcessors: [] });
  sdk.start();
  return { instrumentations, shutdown: () => sdk.shutdown() };
}
