/**
 * Traces (issue 13, item 8): one placeOrder is one trace across the gateway,
 * the order subgraph, the saga's calls to the course subgraph and their SQL;
 * and tracing is off unless OTEL_* switch it on.
 *
 * The whole stack runs in this process with one SDK and an in-memory
 * exporter (devkit/tracing.ts), so every service shares one resource: the
 * services are told apart by span names and parent links.
 */
import { randomUUID } from 'node:crypto';
import { trace } from '@opentelemetry/api';
import { PlaceOrderDocument } from '@coursegraph/client';
import { createCourse, newUser } from '@coursegraph/devkit/fixtures';
import { startStack, type Stack } from '@coursegraph/devkit/stack';
import { sleep } from '@coursegraph/devkit/timing';
import { parentOf, spanTree, startMemoryTracing, type MemoryTracing, type ReadableSpan } from '@coursegraph/devkit/tracing';
import { startTracing, tracesExporters, tracingStarted } from '@coursegraph/runtime/tracing';

describe('traces are off by default', () => {
  test('which OTEL_* settings switch them on', () => {
    expect(tracesExporters({})).toEqual([]);
    expect(tracesExporters({ OTEL_SERVICE_NAME: 'x', OTEL_METRICS_EXPORTER: 'otlp' })).toEqual([]);
    expect(tracesExporters({ OTEL_TRACES_EXPORTER: 'otlp' })).toEqual(['otlp']);
    expect(tracesExporters({ OTEL_TRACES_EXPORTER: ' OTLP, console ' })).toEqual(['otlp', 'console']);
    expect(tracesExporters({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' })).toEqual(['otlp']);
    expect(tracesExporters({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:4318/v1/traces' })).toEqual(['otlp']);
    expect(tracesExporters({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' })).toEqual([]);
    expect(tracesExporters({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_SDK_DISABLED: 'true' })).toEqual([]);
    expect(() => tracesExporters({ OTEL_TRACES_EXPORTER: 'jaegerr' })).toThrow(/unknown exporter jaegerr/);
  });

  test('with no OTEL_* set, startTracing starts no SDK and spans are no-ops', () => {
    expect(Object.keys(process.env).filter((name) => name.startsWith('OTEL_'))).toEqual([]);
    expect(startTracing('coursegraph-test')).toBe(false);
    expect(tracingStarted()).toBe(false);
    const span = trace.getTracer('test').startSpan('probe');
    expect(span.isRecording()).toBe(false);
    span.end();
  });
});

describe('one placeOrder is one trace', () => {
  let tracing: MemoryTracing;
  let stack: Stack;
  beforeAll(async () => {
    tracing = startMemoryTracing();
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.stop();
    await tracing?.stop();
  });

  /** Spans of the request, once no new span has ended for 200 ms (server spans end after the answer is sent). */
  async function settledSpans(): Promise<ReadableSpan[]> {
    let count = -1;
    while (count !== tracing.spans().length) {
      count = tracing.spans().length;
      await sleep(200);
    }
    return tracing.spans();
  }

  test('gateway -> order subgraph -> saga reserve and confirm -> course subgraph -> SQL, one trace id, no personal data', async () => {
    const course = await createCourse(stack, { capacity: 3 });
    const student = newUser('STUDENT');
    await settledSpans();
    tracing.reset();

    const placed = await stack.call(
      PlaceOrderDocument,
      { input: { courseId: course.id, expectedPrice: { amount: 1_000, currency: 'USD' }, idempotencyKey: `key-${randomUUID()}` } },
      student,
    );
    expect(placed.errors).toBeUndefined();
    const order = placed.data!.placeOrder.order!;
    expect(order.status).toBe('CONFIRMED');

    const spans = await settledSpans();
    console.log(`placeOrder span tree (${spans.length} spans):\n${spanTree(spans, ['order.id', 'db.query.text'])}`);

    expect(new Set(spans.map((span) => span.spanContext().traceId)).size).toBe(1);
    const byId = new Map(spans.map((span) => [span.spanContext().spanId, span]));
    const ancestors = (span: ReadableSpan): ReadableSpan[] => {
      const parent = byId.get(parentOf(span));
      return parent ? [parent, ...ancestors(parent)] : [];
    };
    const below = (span: ReadableSpan, ancestor: ReadableSpan) => ancestors(span).includes(ancestor);
    const named = (pattern: RegExp) => spans.filter((span) => pattern.test(span.name));
    const serverSpanOf = (span: ReadableSpan) => ancestors(span).find((a) => a.name === 'POST /graphql' && a.kind === 1)!;

    // The gateway: the root is its HTTP server span, its operation under it.
    const roots = spans.filter((span) => !byId.has(parentOf(span)));
    expect(roots.map((span) => span.name)).toEqual(['POST /graphql']);
    const [gatewayRequest] = named(/^gateway\.request$/);
    expect(gatewayRequest && parentOf(gatewayRequest)).toBe(roots[0]!.spanContext().spanId);

    // The order subgraph's operation, reached through the gateway's HTTP call.
    const [placeOrder] = named(/^mutation PlaceOrder/);
    expect(placeOrder).toBeDefined();
    const orderServer = serverSpanOf(placeOrder!);
    expect(orderServer).toBeDefined();
    expect(below(orderServer, gatewayRequest!)).toBe(true);
    expect(ancestors(orderServer)[0]).toMatchObject({ kind: 2 }); // the gateway's HTTP client span

    // The saga's steps, each with the order id, each calling the course subgraph, whose SQL is under it.
    for (const step of ['reserve', 'confirm']) {
      const [saga] = named(new RegExp(`^order\\.saga ${step}$`));
      expect(saga?.attributes['order.id']).toBe(order.id);
      expect(below(saga!, placeOrder!)).toBe(true);
      const operation = named(new RegExp(`^mutation ${step[0]!.toUpperCase()}${step.slice(1)}$`)).find((span) => below(span, saga!));
      expect(operation).toBeDefined();
      const courseServer = serverSpanOf(operation!);
      expect(below(courseServer, saga!)).toBe(true);
      expect(below(courseServer, orderServer)).toBe(true);
      const sql = spans.filter((span) => span.name.startsWith('pg.query') && below(span, courseServer));
      expect(sql.length).toBeGreaterThan(0);
    }
    const courseServers = spans.filter((span) => span.name === 'POST /graphql' && span.kind === 1 && below(span, orderServer));
    expect(courseServers.length).toBeGreaterThanOrEqual(2);

    // SQL as statements with placeholders, never the values; nothing names the student or carries the token.
    const statements = spans.filter((span) => span.name.startsWith('pg.query')).map((span) => String(span.attributes['db.query.text']));
    expect(statements.some((statement) => /\$1/.test(statement))).toBe(true);
    expect(spans.some((span) => Object.keys(span.attributes).some((key) => /values|parameter/.test(key)))).toBe(false);
    const everything = JSON.stringify(spans.map((span) => [span.name, span.attributes, span.events]));
    expect(everything).not.toContain(student.userId);
    expect(everything).not.toContain(stack.token(student).split('.')[2]);
  });
});
