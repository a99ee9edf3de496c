/** Starts tracing when OTEL_* switch it on (@coursegraph/runtime/tracing); main.ts imports this first, so the instrumentations patch express, http, graphql and pg before anything requires them. */
import { startTracing } from '@coursegraph/runtime/tracing';

startTracing('coursegraph-accounts');
