/**
 * The service processes' memory at three points of a run, from each
 * process's probe (service-probe.ts, MiB): after start, idle (after the
 * warm-up, before the measured load) and after the load; and its report
 * against issue 15's aim, idle RSS under 120 MB per service (read as MiB,
 * as RSS is usually shown). The peak RSS is the kernel's high-water mark
 * since the process started (getrusage maxrss): at "after load" it covers
 * the load, unless an earlier peak (the start) was higher, which the idle
 * point's peak shows.
 */
import type { MemoryReading } from './service-probe';
import { fmt, mdRow } from './report';

/** Issue 15's aim for a service process at idle, MiB. */
export const IDLE_RSS_AIM_MIB = 120;

export type MemoryByService = Record<string, MemoryReading>;

/** Readings by point; null when the run ended before it. */
export interface MemoryPoints {
  afterStart: MemoryByService | null;
  idle: MemoryByService | null;
  afterLoad: MemoryByService | null;
}

/** One log line: `accounts RSS 80.1 MiB (heap 20.3), ...`. */
export const describeMemory = (readings: MemoryByService): string =>
  Object.entries(readings)
    .map(([name, reading]) => `${name} RSS ${fmt(reading.rssMiB, 1)} MiB (heap ${fmt(reading.heapUsedMiB, 1)})`)
    .join(', ');

/** Services whose idle RSS is at or over the aim, with their figure, e.g. `course 131.2 MiB`. */
export const overAim = (points: MemoryPoints): string[] =>
  Object.entries(points.idle ?? {})
    .filter(([, reading]) => reading.rssMiB >= IDLE_RSS_AIM_MIB)
    .map(([name, reading]) => `${name} ${fmt(reading.rssMiB, 1)} MiB`);

/** The Markdown table: per service RSS (heap used) at each point, the peaks, and the idle RSS against the aim. */
export function memoryMarkdown(points: MemoryPoints): string[] {
  const names = Object.keys(points.afterStart ?? points.idle ?? points.afterLoad ?? {});
  if (!names.length) return ['Not measured (the run ended before the services started).'];
  const cell = (reading: MemoryReading | undefined) => (reading ? `${fmt(reading.rssMiB, 1)} (${fmt(reading.heapUsedMiB, 1)})` : '–');
  const rows = names.map((name) => {
    const idle = points.idle?.[name];
    return mdRow([
      name,
      cell(points.afterStart?.[name]),
      cell(idle),
      idle ? (idle.rssMiB < IDLE_RSS_AIM_MIB ? 'met' : '**missed**') : '–',
      fmt(idle?.peakRssMiB, 1),
      cell(points.afterLoad?.[name]),
      fmt(points.afterLoad?.[name]?.peakRssMiB, 1),
    ]);
  });
  return [
    `RSS (V8 heap used) per service process, MiB. Aim: idle RSS under ${IDLE_RSS_AIM_MIB} MiB per service (issue 15).`,
    '',
    '| service | after start | idle (after warm-up) | idle aim | peak RSS by then | after the load | peak RSS of the run |',
    '|---|--:|--:|---|--:|--:|--:|',
    ...rows,
  ];
}
