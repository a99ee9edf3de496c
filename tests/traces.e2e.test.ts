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
import { readFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { execute } from 'graphql';
import { Client } from 'pg';
import { trace } from '@opentelemetry/api';
import { CreateCourseDocument, PlaceOrderDocument, PublishCourseDocument } from '@coursegraph/client';
import { createCourse, newUser } from '@coursegraph/devkit/fixtures';
import { ProcessStack } from '@coursegraph/devkit/processes';
import { bearer, graphql, startStack, type Stack } from '@coursegraph/devkit/stack';
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

  test('.env.example, copied to .env as it is, leaves them off', () => {
    const example = readFileSync(join(__dirname, '..', '.env.example'), 'utf8');
    const set = Object.fromEntries([...example.matchAll(/^(OTEL_[A-Z_]+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
    expect(example).toMatch(/^# OTEL_TRACES_EXPORTER=otlp$/m);
    expect(tracesExporters(set)).toEqual([]);
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

  test('gateway -> order subgraph -> saga purchase -> course subgraph -> SQL, one trace id, no personal data', async () => {
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

    // The saga's step, with the order id, calling the course subgraph, whose SQL is under it.
    for (const step of ['purchase']) {
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
    // One internal call per order (issue 15): the seat is sold in one call.
    expect(courseServers).toHaveLength(1);

    // SQL as statements with placeholders, never the values; nothing names the student or carries the token.
    const statements = spans.filter((span) => span.name.startsWith('pg.query')).map((span) => String(span.attributes['db.query.text']));
    expect(statements.some((statement) => /\$1/.test(statement))).toBe(true);
    expect(spans.some((span) => Object.keys(span.attributes).some((key) => /values|parameter/.test(key)))).toBe(false);
    const everything = JSON.stringify(spans.map((span) => [span.name, span.attributes, span.events]));
    expect(everything).not.toContain(student.userId);
    expect(everything).not.toContain(stack.token(student).split('.')[2]);
  });
});

describe('after the in-memory tracing stopped', () => {
  test('node:http (shared by every test file in this worker), pg and graphql are unpatched again', () => {
    const wrapped = (fn: unknown) => Boolean((fn as { __wrapped?: boolean }).__wrapped);
    expect(wrapped(request)).toBe(false);
    expect(wrapped(Client.prototype.query)).toBe(false);
    expect(wrapped(execute)).toBe(false);
  });
});

describe('as service processes, exported over OTLP/HTTP', () => {
  /** OTLP/HTTP JSON as exporter-trace-otlp-http sends it (ids in hex). */
  interface OtlpSpan {
    traceId: string;
    spanId: string;
    parentSpanId?: string;
    name: string;
    kind: number;
  }
  interface OtlpExport {
    resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { spans: OtlpSpan[] }[] }[];
  }
  type ServiceSpan = OtlpSpan & { service: string };

  const received: ServiceSpan[] = [];
  let collector: Server;
  let stack: ProcessStack;
  beforeAll(async () => {
    // A collector's OTLP/HTTP receiver (what Jaeger serves on :4318): POST /v1/traces, JSON.
    collector = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        if (request.url === '/v1/traces') {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpExport;
          for (const { resource, scopeSpans } of body.resourceSpans) {
            const service = resource.attributes.find((attribute) => attribute.key === 'service.name')?.value.stringValue ?? '';
            for (const { spans } of scopeSpans) received.push(...spans.map((span) => ({ ...span, service })));
          }
        }
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
    stack = new ProcessStack({
      serverUrl: process.env.TEST_DATABASE_URL!,
      databasePrefix: 'cg_test_traces',
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_BSP_SCHEDULE_DELAY: '100' },
    });
    await stack.start();
  }, 180_000);
  afterAll(async () => {
    await stack?.stop();
    collector?.close();
  }, 60_000);

  test('each service names itself, and one placeOrder is one trace across their processes, SQL included', async () => {
    const instructor = newUser('INSTRUCTOR');
    const asInstructor = bearer(stack.token(instructor));
    const input = { title: 'Traced course', description: 'Made by a test.', price: { amount: 1_000, currency: 'USD' }, capacity: 3 };
    const created = await graphql(stack.gatewayUrl, CreateCourseDocument, { input }, asInstructor);
    const courseId = created.data!.createCourse.course!.id;
    await graphql(stack.gatewayUrl, PublishCourseDocument, { input: { courseId } }, asInstructor);
    const student = newUser('STUDENT');
    const placed = await graphql(
      stack.gatewayUrl,
      PlaceOrderDocument,
      { input: { courseId, expectedPrice: { amount: 1_000, currency: 'USD' }, idempotencyKey: `key-${randomUUID()}` } },
      bearer(stack.token(student)),
    );
    expect(placed.data?.placeOrder.order?.status).toBe('CONFIRMED');

    // The trace is the one whose spans include the saga's; wait until every service has exported its part.
    const traceSpans = () => {
      const saga = received.find((span) => span.name === 'order.saga purchase');
      return saga ? received.filter((span) => span.traceId === saga.traceId) : [];
    };
    const services = () => new Set(traceSpans().map((span) => span.service));
    for (let waited = 0; waited < 10_000 && !(services().size >= 3 && traceSpans().some((span) => span.name === 'gateway.request')); waited += 100) {
      await sleep(100);
    }
    await sleep(500);
    const spans = traceSpans();
    expect([...services()].sort()).toEqual(['coursegraph-course', 'coursegraph-gateway', 'coursegraph-order']);

    const byId = new Map(spans.map((span) => [span.spanId, span]));
    const parentService = (span: ServiceSpan) => byId.get(span.parentSpanId ?? '')?.service;
    const serverSpans = (service: string) => spans.filter((span) => span.service === service && span.kind === 2 && span.name === 'POST /graphql');
    // SERVER = 2 and CLIENT = 3 in OTLP's enum. The order subgraph is called by the gateway; the course subgraph (once) by the order saga.
    expect(serverSpans('coursegraph-order').map(parentService)).toEqual(['coursegraph-gateway']);
    expect(serverSpans('coursegraph-course').filter((span) => parentService(span) === 'coursegraph-order')).toHaveLength(1);
    // pg was instrumented in each process: the require hooks ran before pg loaded.
    for (const service of ['coursegraph-course', 'coursegraph-order']) {
      expect(spans.some((span) => span.service === service && span.name.startsWith('pg.query'))).toBe(true);
    }
  });
});
