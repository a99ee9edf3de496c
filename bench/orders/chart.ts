/**
 * bench/results/orders.svg: per scenario, bars of the median orders/s of the
 * stack, its baseline (raw SQL or pgbench), the two-process Express
 * reference and, where measured, the one-process one, with the stack's
 * ratios to the baseline (%) and to the two-process reference (×).
 */
import { fmt, svgDocument, svgTitle } from '../runner/report';
import { SCENARIOS } from './options';
import type { OrdersResults } from './summary';

interface Row {
  label: string;
  /** name, orders/s, colour; a path that was not measured is left out. */
  bars: [string, number, string][];
  note: string;
}

function rows({ summary, parameters }: OrdersResults): Row[] {
  return SCENARIOS.filter((scenario) => summary[scenario].stack).map((scenario) => {
    const s = summary[scenario];
    const bars: [string, number | undefined, string][] = [
      ['stack (gateway)', s.stack?.ordersPerSecond, '#3b6fd8'],
      [scenario === 'spread' ? 'raw SQL (node pg)' : 'pgbench', s.baseline?.ordersPerSecond, '#9aa0a6'],
      ['Express, 2 processes', s.reference?.ordersPerSecond, '#d8a03b'],
      ['Express, 1 process', s.oneProcess?.ordersPerSecond, '#a0522d'],
    ];
    const notes = [
      ...(s.ratio === null ? [] : [`${fmt(100 * s.ratio, 0)}% of the baseline`]),
      ...(s.ratioToReference === null ? [] : [`${fmt(s.ratioToReference, 2)}× the 2-process reference`]),
    ];
    return {
      label: scenario === 'spread' ? `spread: ${parameters.courses} courses` : 'hot: one course',
      bars: bars.filter((bar): bar is [string, number, string] => bar[1] !== undefined),
      note: `stack = ${notes.join(', ')}`,
    };
  });
}

export function ordersChart(results: OrdersResults): string {
  const width = 640;
  const barH = 26;
  const left = 170;
  const chartRows = rows(results);
  const max = Math.max(1, ...chartRows.flatMap((row) => row.bars.map(([, value]) => value)));
  const scale = (width - left - 110) / max;
  const parts: string[] = [];
  let y = 50;
  for (const row of chartRows) {
    parts.push(`<text x="10" y="${y - 8}" font-weight="bold">${row.label}</text>`);
    for (const [name, value, color] of row.bars) {
      const w = Math.max(1, value * scale);
      parts.push(`<text x="10" y="${y + barH * 0.7}">${name}</text>`);
      parts.push(`<rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="${barH - 4}" fill="${color}"/>`);
      parts.push(`<text x="${(left + w + 6).toFixed(1)}" y="${y + barH * 0.7}">${fmt(value, 0)}/s</text>`);
      y += barH;
    }
    parts.push(`<text x="${left}" y="${y + 14}" fill="#555">${row.note}</text>`);
    y += 50;
  }
  return svgDocument(width, y, [svgTitle(20, `placeOrder: orders/s (median), ${results.parameters.connections} connections`), ...parts]);
}
