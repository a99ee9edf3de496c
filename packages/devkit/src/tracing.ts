/**
 * Traces of the in-process test stack (stack.ts), collected in memory: the
 * runtime's tracing (@coursegraph/runtime/tracing) started with an
 * InMemorySpanExporter, and a printable span tree.
 *
 * One SDK in the test process serves every service of an in-process stack,
 * so all spans share one resource (one service name); tell the services apart
 * by span names and parent links instead.
 *
 * Jest loads modules through a registry of its own, which the
 * instrumentations' require hooks never see, so startMemoryTracing applies
 * each instrumentation's patches itself to the modules as jest loaded them
 * (the same objects the stack's code uses). A service process needs none of
 * this: its src/instrument.ts starts tracing before anything is required.
 */
import { readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startTracing, stopTracing, tracingInstrumentations } from '@coursegraph/runtime/tracing';

export type { ReadableSpan };

export interface MemoryTracing {
  /** Spans ended so far, in the order they ended. */
  spans(): ReadableSpan[];
  reset(): void;
  stop(): Promise<void>;
}

/** Loads `name` (a package or a file in one) through the caller's module system, with its package's version; null when it cannot be loaded (pg's optional native client). */
function load(name: string): { exports: unknown; version: string } | null {
  try {
    const builtin = name === 'http' || name === 'https';
    const path = builtin ? name : require.resolve(name);
    // Some packages (pg-pool) do not export their package.json: read it beside the resolved file.
    const packageName = name
      .split('/')
      .slice(0, name.startsWith('@') ? 2 : 1)
      .join('/');
    const marker = `${sep}node_modules${sep}${packageName.replace('/', sep)}${sep}`;
    const version = builtin
      ? process.versions.node
      : (JSON.parse(readFileSync(join(path.slice(0, path.lastIndexOf(marker) + marker.length), 'package.json'), 'utf8')) as { version: string })
          .version;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return { exports: require(path), version };
  } catch {
    return null;
  }
}

/**
 * Starts tracing in this process with every span kept in memory (exported
 * as each ends) and patches the modules jest loaded. Call before the stack
 * starts; stop() takes the patches off again (node:http is shared by every
 * test file in the worker) and shuts the SDK down.
 */
export function startMemoryTracing(serviceName = 'coursegraph-test', options: { edge?: boolean } = {}): MemoryTracing {
  const exporter = new InMemorySpanExporter();
  startTracing(serviceName, { spanProcessors: [new SimpleSpanProcessor(exporter)], edge: options.edge });
  const instrumentations = tracingInstrumentations();
  const undo: (() => void)[] = [];
  for (const instrumentation of instrumentations) {
    for (const definition of instrumentation.getModuleDefinitions()) {
      const loaded = load(definition.name);
      if (!loaded) continue;
      definition.patch?.(loaded.exports, loaded.version);
      undo.push(() => definition.unpatch?.(loaded.exports, loaded.version));
      for (const file of definition.files) {
        const loadedFile = load(file.name.replace(/\.js$/, ''));
        if (!loadedFile) continue;
        file.patch(loadedFile.exports, loaded.version);
        undo.push(() => file.unpatch(loadedFile.exports, loaded.version));
      }
    }
  }
  return {
    spans: () => exporter.getFinishedSpans(),
    reset: () => exporter.reset(),
    async stop() {
      for (const step of undo.reverse()) step();
      for (const instrumentation of instrumentations) instrumentation.disable();
      await stopTracing();
    },
  };
}

/** A span's parent span id ('' for a root). */
export const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId ?? '';

/**
 * The spans of one trace as an indented tree, one line per span: its name,
 * kind, duration in ms, and the attributes named in `show` that it has
 * (their first 80 characters). Children in start order.
 */
export function spanTree(spans: ReadableSpan[], show: string[] = []): string {
  const children = new Map<string, ReadableSpan[]>();
  const ids = new Set(spans.map((span) => span.spanContext().spanId));
  for (const span of spans) {
    const parent = ids.has(parentOf(span)) ? parentOf(span) : '';
    children.set(parent, [...(children.get(parent) ?? []), span]);
  }
  const started = (span: ReadableSpan) => span.startTime[0] * 1e9 + span.startTime[1];
  const lines: string[] = [];
  const walk = (parent: string, depth: number) => {
    for (const span of (children.get(parent) ?? []).sort((a, b) => started(a) - started(b))) {
      const ms = (span.duration[0] * 1e3 + span.duration[1] / 1e6).toFixed(1);
      const extra = show
        .filter((key) => span.attributes[key] !== undefined)
        .map((key) => ` ${key}=${String(span.attributes[key]).replace(/\s+/g, ' ').slice(0, 80)}`);
      lines.push(
        `${'  '.repeat(depth)}${span.name} [${['internal', 'server', 'client', 'producer', 'consumer'][span.kind]}] ${ms} ms${extra.join('')}`,
      );
      walk(span.spanContext().spanId, depth + 1);
    }
  };
  walk('', 0);
  return lines.join('\n');
}
