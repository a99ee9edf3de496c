/**
 * bench/results/orders-curves.svg: the scaling curves, four panels (rows:
 * median orders/s, median p99 in ms; columns: spread, hot), x = autocannon
 * connections and y on log scales (the paths differ by up to 20×; a path
 * with no confirmed order at a point has no dot there), a line
 * per path: the stack, the stack with a second instance of every service
 * (at its connection counts only), the two-process and the one-process
 * Express references. Colours as in chart.ts.
 */
import { escapeXml, fmt, svgDocument, svgTitle } from '../runner/report';
import { CURVE_KINDS, type CurveKind, type CurveRow } from './curves';
import { SCENARIOS } from './options';
import type { OrdersResults } from './summary';

/** Each path's colour and dash pattern ('' = solid). */
const STYLE: Record<CurveKind, { color: string; dash: string; name: string }> = {
  stack: { color: '#3b6fd8', dash: '', name: 'stack (gateway)' },
  stackTwoInstances: { color: '#1b3f8f', dash: '6 3', name: 'stack, 2 instances of each service' },
  reference: { color: '#d8a03b', dash: '', name: 'Express reference, 2 processes' },
  oneProcess: { color: '#a0522d', dash: '2 3', name: 'Express reference, 1 process' },
};

interface Panel {
  x: number;
  y: number;
  width: number;
  height: number;
  title: string;
  rows: CurveRow[];
  value: (row: CurveRow) => number;
}

/** The log axis' ticks: 1, 2 and 5 × each power of ten from the decade below the smallest positive value to the one above the largest. */
function logTicks(values: number[]): number[] {
  const positive = values.filter((v) => v > 0 && Number.isFinite(v));
  if (!positive.length) return [1, 10];
  const low = Math.floor(Math.log10(Math.min(...positive)));
  const high = Math.max(low + 1, Math.ceil(Math.log10(Math.max(...positive))));
  const decades = Array.from({ length: high - low }, (_, i) => 10 ** (low + i));
  return [...decades.flatMap((decade) => [decade, 2 * decade, 5 * decade]), 10 ** high];
}

/** One panel: frame, log axes with their ticks, a polyline and dots per path. */
function panel(p: Panel, connections: readonly number[]): string[] {
  const ticks = logTicks(p.rows.map(p.value));
  const [yLow, yHigh] = [Math.log10(ticks[0]!), Math.log10(ticks[ticks.length - 1]!)];
  const [xLow, xHigh] = [Math.log10(connections[0]!), Math.log10(Math.max(connections[0]! * 2, connections[connections.length - 1]!))];
  const px = (c: number) => p.x + ((Math.log10(c) - xLow) / (xHigh - xLow || 1)) * p.width;
  const py = (v: number) => p.y + p.height - ((Math.log10(v) - yLow) / (yHigh - yLow)) * p.height;
  const parts = [
    `<text x="${p.x}" y="${p.y - 10}" font-weight="bold">${escapeXml(p.title)}</text>`,
    `<rect x="${p.x}" y="${p.y}" width="${p.width}" height="${p.height}" fill="none" stroke="#999"/>`,
    ...ticks.flatMap((tick) => [
      `<line x1="${p.x}" x2="${p.x + p.width}" y1="${py(tick).toFixed(1)}" y2="${py(tick).toFixed(1)}" stroke="#e3e3e3"/>`,
      `<text x="${p.x - 6}" y="${(py(tick) + 4).toFixed(1)}" text-anchor="end" fill="#555" font-size="11">${fmt(tick, tick < 1 ? 1 : 0)}</text>`,
    ]),
    ...connections.map((c) => `<text x="${px(c).toFixed(1)}" y="${p.y + p.height + 16}" text-anchor="middle" fill="#555">${c}</text>`),
    `<text x="${p.x + p.width / 2}" y="${p.y + p.height + 32}" text-anchor="middle" fill="#555">connections (log scale)</text>`,
  ];
  for (const kind of CURVE_KINDS) {
    const points = p.rows
      .filter((row) => row.kind === kind && p.value(row) > 0)
      .sort((a, b) => a.connections - b.connections)
      .map((row) => [px(row.connections), py(p.value(row))] as const);
    if (!points.length) continue;
    const { color, dash } = STYLE[kind];
    const line = points.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ');
    parts.push(`<polyline points="${line}" fill="none" stroke="${color}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`);
    parts.push(...points.map(([x, y]) => `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="3" fill="${color}"/>`));
  }
  return parts;
}

/** The legend: one line per path, left to right, each as wide as its name (about 7 px a character at 13 px). */
function legend(y: number): string[] {
  let next = 10;
  return CURVE_KINDS.flatMap((kind) => {
    const x = next;
    const { color, dash, name } = STYLE[kind];
    next += 30 + name.length * 7 + 20;
    return [
      `<line x1="${x}" x2="${x + 24}" y1="${y - 4}" y2="${y - 4}" stroke="${color}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`,
      `<text x="${x + 30}" y="${y}">${escapeXml(name)}</text>`,
    ];
  });
}

export function curvesChart(results: OrdersResults): string {
  const { rows } = results.curves;
  const connections = results.parameters.curveConnections;
  const scenarios = SCENARIOS.filter((scenario) => rows.some((row) => row.scenario === scenario));
  const [width, height, left, top] = [420, 230, 70, 90];
  const parts = [
    svgTitle(20, `placeOrder: orders/s and p99 by connections (medians, ${results.parameters.curveDuration} s per point)`),
    ...legend(45),
  ];
  const measures = [
    { title: 'orders/s (log scale)', value: (row: CurveRow) => row.ordersPerSecond },
    { title: 'p99 latency in ms (log scale)', value: (row: CurveRow) => row.p99 },
  ];
  measures.forEach((measure, r) =>
    scenarios.forEach((scenario, c) =>
      parts.push(
        ...panel(
          {
            x: left + c * (width + left),
            y: top + r * (height + 80),
            width,
            height,
            title: `${scenario}: ${measure.title}`,
            rows: rows.filter((row) => row.scenario === scenario),
            value: measure.value,
          },
          connections,
        ),
      ),
    ),
  );
  return svgDocument(Math.max(940, left + scenarios.length * (width + left)), top + 2 * (height + 80), parts);
}
