/**
 * The catalog's figures over rounds (medians): per target req/s and
 * p50/p99/mean (ms) under load, one-client p50/p99 (ms); the gateway's
 * overhead over its two parts (ms) and its req/s relative to each part, to
 * both parts one after the other, and to Hive Gateway; the CPU ms per
 * request of each process and each service's ELU; and the notes when an aim
 * (req/s ≥ Hive's, one-client overhead ≤ 1 ms) is missed.
 */
import { fmt } from '../runner/report';
import { medianOf, ratio, round } from '../runner/stats';
import type { Target } from './operations';
import type { Measurements } from './rounds';

/** The processes whose CPU time per request is reported; the services whose ELU is. */
export const PROCESSES = ['client', 'course', 'order', 'gateway', 'hive'];
export const ELU_SERVICES = ['course', 'order', 'gateway'];

export interface TargetSummary {
  rps: number;
  p50: number;
  p99: number;
  mean: number;
  serialP50: number;
  serialP99: number;
}

function summarize(targets: Target[], { loads, serials }: Measurements): Record<string, TargetSummary> {
  const summary: Record<string, TargetSummary> = {};
  for (const { name } of targets) {
    const load = loads[name] ?? [];
    const serial = serials[name] ?? [];
    summary[name] = {
      rps: medianOf(load, (l) => l.rps),
      p50: medianOf(load, (l) => l.latencyMs.p50),
      p99: medianOf(load, (l) => l.latencyMs.p99),
      mean: medianOf(load, (l) => l.latencyMs.mean),
      serialP50: medianOf(serial, (d) => d.p50),
      serialP99: medianOf(serial, (d) => d.p99),
    };
  }
  return summary;
}

/** Gateway vs its parts and vs Hive. Under load against distinct pages: identical pages in flight share subgraph requests, distinct ones do the parts' full work. */
function derive(summary: Record<string, TargetSummary>) {
  const g = summary.gateway!;
  const a1 = summary['course subgraph']!;
  const a2 = summary['order subgraph']!;
  const hive = summary.hive;
  const gd = summary['gateway distinct']!;
  const hd = summary['hive distinct'];
  return {
    loadedOverheadP50Ms: round(gd.p50 - (a1.p50 + a2.p50), 2),
    serialOverheadP50Ms: round(g.serialP50 - (a1.serialP50 + a2.serialP50), 3),
    rpsGatewayOverCourse: ratio(gd.rps, a1.rps, 3)!,
    rpsGatewayOverOrder: ratio(gd.rps, a2.rps, 3)!,
    /** The rps a client doing the two calls one after the other at the same connections would see if each part cost what it costs alone: 1 / (1/a1 + 1/a2). */
    rpsGatewayOverSerialParts: ratio(gd.rps, 1 / (1 / a1.rps + 1 / a2.rps), 3)!,
    rpsGatewayOverHive: ratio(g.rps, hive?.rps, 3),
    rpsGatewayOverHiveDistinctPages: ratio(gd.rps, hd?.rps, 3),
    p50GatewayOverHiveDistinctPages: ratio(gd.p50, hd?.p50, 3),
    p50GatewayOverHive: ratio(g.p50, hive?.p50, 3),
    serialP50GatewayOverHive: ratio(g.serialP50, hive?.serialP50, 3),
  };
}

export type Derived = ReturnType<typeof derive>;

function notesOf(summary: Record<string, TargetSummary>, derived: Derived): string[] {
  const { gateway: g, hive, 'gateway distinct': gd, 'hive distinct': hd } = summary;
  const notes: string[] = [];
  if (hd && gd!.rps < hd.rps)
    notes.push(
      `Aim missed with distinct pages too: the coursegraph gateway serves ${fmt(gd!.rps)} req/s, Hive Gateway ${fmt(hd.rps)} (${fmt(derived.rpsGatewayOverHiveDistinctPages!, 2)}×).`,
    );
  if (hive && g!.rps < hive.rps)
    notes.push(
      `Aim missed: the coursegraph gateway serves ${fmt(g!.rps)} req/s, Hive Gateway ${fmt(hive.rps)} (${fmt(derived.rpsGatewayOverHive!, 2)}×).`,
    );
  if (derived.serialOverheadP50Ms > 1) notes.push(`Aim missed: one-client gateway overhead p50 is ${derived.serialOverheadP50Ms} ms (> 1 ms).`);
  return notes;
}

/** CPU time per request of each process, per target: median over rounds of (CPU % / 100 × 1000 ms) / req/s. */
function cpuPerRequest(targets: Target[], { loads }: Measurements): Record<string, Record<string, number>> {
  const perRequest: Record<string, Record<string, number>> = {};
  for (const { name: target } of targets) {
    perRequest[target] = {};
    for (const name of PROCESSES) {
      const value = medianOf(loads[target] ?? [], (l) => ((l.cpuPct[name] ?? NaN) * 10) / l.rps);
      if (Number.isFinite(value)) perRequest[target]![name] = round(value, 3);
    }
  }
  return perRequest;
}

/** Median ELU of each service, per target. */
const eluMedians = (targets: Target[], { loads }: Measurements): Record<string, Record<string, number>> =>
  Object.fromEntries(
    targets.map(({ name }) => [
      name,
      Object.fromEntries(ELU_SERVICES.map((service) => [service, medianOf(loads[name] ?? [], (l) => l.elu[service] ?? NaN)])),
    ]),
  );

export function catalogFigures(targets: Target[], measurements: Measurements) {
  const summary = summarize(targets, measurements);
  const derived = derive(summary);
  return {
    summary,
    derived,
    notes: notesOf(summary, derived),
    cpuPerRequest: cpuPerRequest(targets, measurements),
    elu: eluMedians(targets, measurements),
  };
}

export type CatalogFigures = ReturnType<typeof catalogFigures>;
