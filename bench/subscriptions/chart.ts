/**
 * bench/results/subscriptions.svg: the rate sweep's p99 latency (ms, log
 * scale) against the offered order rate (orders/s, log scale), one line per
 * path (direct in grey, through the gateway in blue), the --limit-ms line
 * dashed in red, and the commit + NOTIFY floor's p99 (a bare LISTEN) in the
 * gateway's phases (the direct ones' without them) dotted in grey. Each point
 * is labelled with its p99; a point that missed the limit (sweep.ts) is
 * drawn hollow.
 */
import { escapeXml, fmt, svgDocument, svgTitle } from '../runner/report';
import type { Mode, SubscriptionsOptions } from './options';
import { highestText, type SweepSummary } from './sweep';

const SERIES: { mode: Mode; label: string; color: string }[] = [
  { mode: 'direct', label: 'direct (course subgraph)', color: '#90a4ae' },
  { mode: 'gateway', label: 'through the gateway', color: '#2b6cb0' },
];

const log10 = (value: number) => Math.log10(Math.max(value, 1e-9));

/** The chart over the offered rates of `options.sweep`; null when the sweep has no point. */
export function sweepChart(summary: SweepSummary, options: Pick<SubscriptionsOptions, 'subscribers' | 'limitMs' | 'sweep'>): string | null {
  const points = Object.values(summary).flatMap((path) => path.points);
  if (points.length === 0) return null;
  const [width, height, left, right, top, bottom] = [720, 440, 70, 50, 70, 80];
  const rates = [...new Set([...options.sweep, ...points.map((point) => point.rate)])];
  const [minRate, maxRate] = [Math.min(...rates), Math.max(...rates, Math.min(...rates) * 2)];
  // Whole decades from 1 ms to above the slowest p99 (and the limit).
  const decades = Math.max(2, Math.ceil(log10(Math.max(options.limitMs * 2, ...points.map((point) => point.p99)))));
  const pad = 20;
  const x = (rate: number) => left + pad + ((width - left - right - 2 * pad) * (log10(rate) - log10(minRate))) / (log10(maxRate) - log10(minRate));
  const y = (ms: number) => height - bottom - ((height - top - bottom) * Math.min(decades, Math.max(0, log10(ms)))) / decades;
  const parts: string[] = [];
  for (let decade = 0; decade <= decades; decade++) {
    const at = y(10 ** decade).toFixed(1);
    parts.push(`<line x1="${left}" x2="${width - right}" y1="${at}" y2="${at}" stroke="#e0e0e0"/>`);
    parts.push(`<text x="${left - 8}" y="${at}" dy="4" text-anchor="end">${fmt(10 ** decade)}</text>`);
  }
  for (const rate of rates) {
    parts.push(`<text x="${x(rate).toFixed(1)}" y="${height - bottom + 18}" text-anchor="middle">${fmt(rate, rate % 1 ? 1 : 0)}</text>`);
  }
  const limit = y(options.limitMs).toFixed(1);
  parts.push(`<line x1="${left}" x2="${width - right}" y1="${limit}" y2="${limit}" stroke="#c62828" stroke-dasharray="6 4"/>`);
  parts.push(`<text x="${width - right}" y="${limit}" dy="-5" text-anchor="end" fill="#c62828">limit ${fmt(options.limitMs)} ms</text>`);
  const floor = (summary.gateway ?? summary.direct)!.points.map((point) => `${x(point.rate).toFixed(1)},${y(point.floorP99).toFixed(1)}`);
  parts.push(`<polyline points="${floor.join(' ')}" fill="none" stroke="#616161" stroke-width="1.5" stroke-dasharray="2 3"/>`);
  SERIES.forEach(({ mode, label, color }, index) => {
    const path = summary[mode];
    const legendY = top - 30 + 16 * index;
    parts.push(`<rect x="${left}" y="${legendY - 9}" width="14" height="10" fill="${color}"/>`);
    if (!path) return parts.push(`<text x="${left + 20}" y="${legendY}">${escapeXml(label)}: not run</text>`);
    const text = `${label}: highest rate with p99 under ${fmt(options.limitMs)} ms: ${highestText(path)}`;
    parts.push(`<text x="${left + 20}" y="${legendY}">${escapeXml(text)}</text>`);
    const coords = path.points.map((point) => `${x(point.rate).toFixed(1)},${y(point.p99).toFixed(1)}`);
    parts.push(`<polyline points="${coords.join(' ')}" fill="none" stroke="${color}" stroke-width="2"/>`);
    for (const point of path.points) {
      const [cx, cy] = [x(point.rate).toFixed(1), y(point.p99).toFixed(1)];
      parts.push(`<circle cx="${cx}" cy="${cy}" r="4" fill="${point.missed ? 'white' : color}" stroke="${color}" stroke-width="2"/>`);
      parts.push(`<text x="${cx}" y="${cy}" dx="7" dy="${mode === 'gateway' ? 14 : -8}" font-size="11">${fmt(point.p99)}</text>`);
    }
  });
  parts.push(`<text x="${(left + width - right) / 2}" y="${height - bottom + 40}" text-anchor="middle">orders/s offered (log scale)</text>`);
  parts.push(
    `<text x="10" y="${height - 12}" fill="#555" font-size="12">hollow: missed the limit (p99 over it, under 90 % of the rate, or a failure); dotted: commit + NOTIFY floor p99</text>`,
  );
  parts.push(
    `<text x="16" y="${(top + height - bottom) / 2}" transform="rotate(-90 16 ${(top + height - bottom) / 2})" text-anchor="middle">p99 latency, ms (log scale)</text>`,
  );
  return svgDocument(width, height, [
    `<rect width="100%" height="100%" fill="white"/>`,
    svgTitle(22, `Live seats: p99 commit-to-subscriber latency at N = ${options.subscribers} subscribers`),
    ...parts,
  ]);
}
