/**
 * bench/results/orders.svg: per scenario, bars of the median orders/s of the
 * stack, its baseline (raw SQL or pgbench) and, for spread, the Express
 * in-memory reference, with stack / baseline in %.
 */
import { fmt, svgDocument, svgTitle } from '../runner/report';
import { SCENARIOS } from './options';
import type { OrdersResults } from './summary';

interface Row {
  label: string;
  stack: number;
  baseline: number;
  baselineName: string;
  express: number | null;
}

function rows({ summary, parameters }: OrdersResults): Row[] {
  return SCENARIOS.filter((scenario) => summary[scenario].stack && summary[scenario].baseline).map((scenario) => ({
    label: scenario === 'spread' ? `spread: ${parameters.courses} courses` : 'hot: one course',
    stack: summary[scenario].stack!.ordersPerSecond,
    baseline: summary[scenario].baseline!.ordersPerSecond,
    baselineName: scenario === 'spread' ? 'raw SQL (node pg)' : 'pgbench',
    express: summary[scenario].express?.ordersPerSecond ?? null,
  }));
}

export function ordersChart(results: OrdersResults): string {
  const width = 640;
  const barH = 26;
  const left = 170;
  const bars = rows(results);
  const max = Math.max(1, ...bars.flatMap((row) => [row.stack, row.baseline, row.express ?? 0]));
  const scale = (width - left - 110) / max;
  const parts: string[] = [];
  let y = 50;
  for (const row of bars) {
    parts.push(`<text x="10" y="${y - 8}" font-weight="bold">${row.label}</text>`);
    const series: [string, number, string][] = [
      ['stack (gateway)', row.stack, '#3b6fd8'],
      [row.baselineName, row.baseline, '#9aa0a6'],
      ...(row.express === null ? [] : [['Express in memory', row.express, '#d8a03b'] as [string, number, string]]),
    ];
    for (const [name, value, color] of series) {
      const w = Math.max(1, value * scale);
      parts.push(`<text x="10" y="${y + barH * 0.7}">${name}</text>`);
      parts.push(`<rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="${barH - 4}" fill="${color}"/>`);
      parts.push(`<text x="${(left + w + 6).toFixed(1)}" y="${y + barH * 0.7}">${fmt(value, 0)}/s</text>`);
      y += barH;
    }
    const ratio = row.baseline ? (100 * row.stack) / row.baseline : NaN;
    parts.push(`<text x="${left}" y="${y + 14}" fill="#555">stack = ${fmt(ratio, 0)}% of baseline</text>`);
    y += 50;
  }
  return svgDocument(width, y, [svgTitle(20, `placeOrder: orders/s (median), ${results.parameters.connections} connections`), ...parts]);
}
