/**
 * Reading a service's GET /metrics in tests: a strict parser of the
 * Prometheus text exposition format 0.0.4
 * (https://prometheus.io/docs/instrumenting/exposition_formats/), which
 * throws on any line it does not accept, and look-ups of one series or the
 * sum of a family's series.
 */

/** One sample line: its name (with any _bucket/_sum/_count suffix), labels and value. */
export interface MetricSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A family: its # HELP and # TYPE, and its samples in order. */
export interface MetricFamily {
  help: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  samples: MetricSample[];
}

export type Scrape = Map<string, MetricFamily>;

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\["\\n])*)"(,|$)/;
const SAMPLE = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (\\S+)(?: (-?\\d+))?$`);
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const SUFFIXES: Record<string, string[]> = { histogram: ['_bucket', '_sum', '_count'], summary: ['_sum', '_count'] };

/**
 * A sample value as Prometheus reads it (Go's strconv.ParseFloat): a decimal
 * number, or Inf and NaN in any letter case (prom-client 15 writes "Nan" for
 * an event-loop lag with no samples yet).
 */
function parseValue(text: string, line: string): number {
  if (/^\+?inf(inity)?$/i.test(text)) return Infinity;
  if (/^-inf(inity)?$/i.test(text)) return -Infinity;
  if (/^nan$/i.test(text)) return NaN;
  const value = Number(text);
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text) || Number.isNaN(value)) throw new Error(`bad value in: ${line}`);
  return value;
}

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let rest = text;
  while (rest.length > 0) {
    const match = LABEL.exec(rest);
    if (!match) throw new Error(`bad labels in: ${line}`);
    const [whole, name, raw] = match;
    if (name! in labels) throw new Error(`label ${name} twice in: ${line}`);
    labels[name!] = raw!.replace(/\\(["\\n])/g, (_all, escaped: string) => (escaped === 'n' ? '\n' : escaped));
    rest = rest.slice(whole.length);
  }
  return labels;
}

/** The family a sample belongs to: its own name, or that name less a histogram's or summary's suffix. */
function familyOf(scrape: Scrape, name: string): MetricFamily | undefined {
  const own = scrape.get(name);
  if (own) return own;
  for (const [family, { type }] of scrape) {
    if ((SUFFIXES[type] ?? []).some((suffix) => name === family + suffix)) return scrape.get(family);
  }
  return undefined;
}

/**
 * Parses exposition text. Throws when a line is malformed, a family is
 * declared twice or a sample comes before its # TYPE, a value is not a
 * number, or a histogram's buckets are not cumulative or its +Inf bucket is
 * not its _count.
 */
export function parseMetrics(text: string): Scrape {
  const scrape: Scrape = new Map();
  const helps = new Map<string, string>();
  if (!text.endsWith('\n')) throw new Error('exposition text must end with a newline');
  for (const line of text.slice(0, -1).split('\n')) {
    if (line === '') continue;
    const comment = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
    if (comment) {
      const [, kind, name, rest] = comment;
      if (!new RegExp(`^${NAME}$`).test(name!)) throw new Error(`bad metric name in: ${line}`);
      if (kind === 'HELP') helps.set(name!, rest!);
      else {
        if (!TYPES.has(rest!)) throw new Error(`bad type in: ${line}`);
        if (scrape.has(name!)) throw new Error(`family ${name} declared twice`);
        scrape.set(name!, { help: helps.get(name!) ?? '', type: rest as MetricFamily['type'], samples: [] });
      }
      continue;
    }
    if (line.startsWith('#')) continue;
    const sample = SAMPLE.exec(line);
    if (!sample) throw new Error(`malformed line: ${line}`);
    const [, name, labelText, valueText] = sample;
    const family = familyOf(scrape, name!);
    if (!family) throw new Error(`sample before its # TYPE: ${line}`);
    family.samples.push({ name: name!, labels: parseLabels(labelText ?? '', line), value: parseValue(valueText!, line) });
  }
  for (const [name, family] of scrape) if (family.type === 'histogram') checkHistogram(name, family);
  return scrape;
}

/** Each series of a histogram: buckets never decrease with `le`, and the +Inf bucket equals _count. */
function checkHistogram(name: string, family: MetricFamily): void {
  const series = new Map<string, { buckets: [number, number][]; count?: number }>();
  for (const sample of family.samples) {
    const { le, ...rest } = sample.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    const entry = series.get(key) ?? { buckets: [] };
    series.set(key, entry);
    if (sample.name === `${name}_bucket`) entry.buckets.push([parseValue(le ?? '', name), sample.value]);
    if (sample.name === `${name}_count`) entry.count = sample.value;
  }
  for (const [key, { buckets, count }] of series) {
    const sorted = [...buckets].sort(([a], [b]) => a - b);
    sorted.forEach(([, value], index) => {
      if (index > 0 && value < sorted[index - 1]![1]) throw new Error(`${name}${key}: buckets are not cumulative`);
    });
    if (sorted.at(-1)?.[0] !== Infinity || sorted.at(-1)?.[1] !== count) throw new Error(`${name}${key}: +Inf bucket is not _count`);
  }
}

/** GETs `${baseUrl}/metrics` (baseUrl may end in /graphql) and parses it; the raw text too. */
export async function scrapeMetrics(baseUrl: string, headers: Record<string, string> = {}): Promise<{ text: string; metrics: Scrape }> {
  const response = await fetch(new URL('/metrics', baseUrl), { headers });
  if (!response.ok) throw new Error(`GET /metrics answered ${response.status}`);
  const text = await response.text();
  return { text, metrics: parseMetrics(text) };
}

/** The sum of the samples named `name` whose labels include `labels` (0 when there is none). */
export function metricValue(scrape: Scrape, name: string, labels: Record<string, string> = {}): number {
  const family = familyOf(scrape, name);
  return (family?.samples ?? [])
    .filter((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value))
    .reduce((sum, sample) => sum + sample.value, 0);
}
