/**
 * Summaries of V8 CPU profiles (taken by the Meter with --profile): self
 * time in ms and % by area (a package under node_modules, a repository file,
 * node:internal, V8) and by function, and inclusive time of named stages
 * (each benchmark names its own, e.g. "graphql-js execute").
 */
import { relative, sep, join } from 'node:path';
import { round } from './stats';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface ProfileSummary {
  totalMs: number;
  /** Self time by package (node_modules/<pkg>) or repository file. */
  byArea: { area: string; ms: number; pct: number }[];
  /** Self time by function. */
  byFunction: { fn: string; ms: number; pct: number }[];
  /** Inclusive time (the stage's function anywhere on the sampled stack) of each stage. */
  stages: { stage: string; ms: number; pct: number }[];
}

/** A named stage: samples whose stack holds a frame matching it count towards it. */
export interface Stage {
  stage: string;
  fn: RegExp;
  url?: RegExp;
}

const repoRoot = join(__dirname, '..', '..');

function areaOf(functionName: string, url: string): string {
  if (/^\((idle|program|garbage collector|root)\)$/.test(functionName)) return functionName;
  if (!url) return '(native/V8)';
  if (url.startsWith('node:')) return url.split('/')[0]!.replace(/^node:internal.*/, 'node:internal');
  const path = url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf(`node_modules${sep}`);
  if (modules >= 0) {
    const parts = path.slice(modules + 'node_modules/'.length).split(sep);
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const inRepo = relative(repoRoot, path);
  return inRepo.startsWith('..') ? path : inRepo;
}

function shortUrl(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf(`node_modules${sep}`);
  if (modules >= 0) return path.slice(modules + 'node_modules/'.length);
  const inRepo = relative(repoRoot, path);
  return inRepo.startsWith('..') ? path : inRepo;
}

/** Self time by area and by function, and inclusive time of each of `stages`. */
export function summarizeProfile(profile: CpuProfile, top = 25, stages: Stage[] = []): ProfileSummary {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let index = 0; index < samples.length; index++) {
    // timeDeltas[i] is the time before sample i; attribute the next delta to this sample.
    const ms = (deltas[index + 1] ?? 0) / 1000;
    self.set(samples[index]!, (self.get(samples[index]!) ?? 0) + ms);
  }
  const totalMs = [...self.values()].reduce((sum, ms) => sum + ms, 0);
  const add = (map: Map<string, number>, key: string, ms: number) => map.set(key, (map.get(key) ?? 0) + ms);
  const byArea = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const byStage = new Map<string, number>();
  for (const [id, ms] of self) {
    const { functionName, url, lineNumber } = nodes.get(id)!.callFrame;
    add(byArea, areaOf(functionName, url), ms);
    add(byFunction, `${functionName || '(anonymous)'} ${url ? `${shortUrl(url)}:${lineNumber + 1}` : ''}`.trim(), ms);
    const matched = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = nodes.get(at)!.callFrame;
      for (const stage of stages) {
        if (!matched.has(stage.stage) && stage.fn.test(frame.functionName) && (!stage.url || stage.url.test(frame.url))) matched.add(stage.stage);
      }
    }
    for (const stage of matched) add(byStage, stage, ms);
  }
  const pct = (ms: number) => round((100 * ms) / (totalMs || 1));
  const rank = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]).slice(0, top);
  return {
    totalMs: round(totalMs),
    byArea: rank(byArea).map(([area, ms]) => ({ area, ms: round(ms), pct: pct(ms) })),
    byFunction: rank(byFunction).map(([fn, ms]) => ({ fn, ms: round(ms), pct: pct(ms) })),
    stages: stages.map(({ stage }) => ({ stage, ms: round(byStage.get(stage) ?? 0), pct: pct(byStage.get(stage) ?? 0) })),
  };
}
