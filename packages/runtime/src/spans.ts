/**
 * Spans of our own, for steps that no instrumentation sees as one (the order
 * saga's purchase). Through @opentelemetry/api only: with traces
 * off (tracing.ts) its tracer is a no-op and a span costs next to nothing.
 */
import { SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';

const tracer = trace.getTracer('coursegraph');

/**
 * Runs `work` inside a span `name` that carries `attributes` (ids only: no
 * personal data, no tokens), so the spans of what it calls (HTTP, SQL) are
 * its children. A rejection marks the span as an error with the error's name
 * (not its message, which may quote input) and is passed on unchanged.
 */
export function inSpan<T>(name: string, attributes: Attributes, work: () => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await work();
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'error' });
      throw error;
    } finally {
      span.end();
    }
  });
}
