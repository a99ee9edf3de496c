/** Starts tracing when OTEL_* switch it on (@coursegraph/runtime/tracing); main.ts imports this first, so the instrumentations patch express, http and graphql before anything requires them. */
import { startTracing } from '@coursegraph/runtime/tracing';

// The edge: a client's traceparent is not believed, so it can neither pick a trace id nor hide its request.
startTracing('coursegraph-gateway', { edge: true });
