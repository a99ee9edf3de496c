/**
 * bench/results/catalog.svg: one bar per target, its median req/s at C
 * connections, labelled with req/s and p50 (ms); the coursegraph gateway's
 * bar first and in blue.
 */
import { escapeXml, fmt, svgDocument, svgTitle } from '../runner/report';
import type { Target } from './operations';
import type { CatalogPart } from './results';

export function catalogChart(results: CatalogPart, targets: Target[]): string {
  const bars = targets.map((t) => ({ label: t.label, rps: results.medians[t.name]!.rps, p50: results.medians[t.name]!.p50 }));
  const width = 720;
  const rowHeight = 34;
  const left = 250;
  const top = 40;
  const max = Math.max(...bars.map((bar) => bar.rps), 1);
  const height = top + bars.length * rowHeight + 40;
  const rows = bars.map((bar, index) => {
    const y = top + index * rowHeight;
    const w = Math.max(1, ((width - left - 120) * bar.rps) / max);
    return [
      `<text x="${left - 8}" y="${y + 19}" text-anchor="end">${escapeXml(bar.label)}</text>`,
      `<rect x="${left}" y="${y + 4}" width="${w.toFixed(1)}" height="22" fill="${index === 0 ? '#2b6cb0' : '#90a4ae'}"/>`,
      `<text x="${(left + w + 6).toFixed(1)}" y="${y + 19}">${fmt(bar.rps)} req/s, p50 ${fmt(bar.p50)} ms</text>`,
    ].join('');
  });
  return svgDocument(width, height, [
    `<rect width="100%" height="100%" fill="white"/>`,
    svgTitle(22, `Catalog read: requests/s at ${results.parameters.connections} connections (median of rounds)`),
    ...rows,
    `<text x="10" y="${height - 12}" fill="#555">bench/catalog.ts — courses(first: ${results.parameters.pageSize}) with enrollmentCount; baselines are the subgraph parts alone</text>`,
  ]);
}
