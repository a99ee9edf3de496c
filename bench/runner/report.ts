/**
 * Pieces of the benchmarks' reports: numbers as text, Markdown table rows,
 * and the frame of an SVG chart (each benchmark draws its own bars).
 */

/** A number with `digits` decimals; `–` for a missing or non-finite one (a path not run, pgbench's p99). */
export const fmt = (value: number | null | undefined, digits = 0): string =>
  value !== undefined && value !== null && Number.isFinite(value) ? value.toFixed(digits) : '–';

/** `| a | b | c |`: one row of a Markdown table. */
export const mdRow = (cells: readonly (string | number)[]): string => `| ${cells.join(' | ')} |`;

/** `- item` lines, or none. */
export const mdList = (items: readonly string[]): string[] => items.map((item) => `- ${item}`);

export const escapeXml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** An SVG document of `width` × `height` (sans-serif, 13 px) with `lines` as its content, newline-terminated. */
export function svgDocument(width: number, height: number, lines: readonly string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="13">`,
    ...lines,
    '</svg>',
    '',
  ].join('\n');
}

/** The chart's bold title line. */
export const svgTitle = (y: number, text: string): string => `<text x="10" y="${y}" font-size="15" font-weight="bold">${escapeXml(text)}</text>`;
