/**
 * With --profile: each service's (and the subscribers' thread's) CPU profile
 * of a phase's orders and drain, saved as a .cpuprofile file (Chrome
 * DevTools, speedscope) and summarized: ms and % per stage of the event's
 * path (websocket fan-out, graphql-js per subscriber, gateway plan
 * execution, TypeORM, JWT, socket writes, GC, idle) and the top functions;
 * and their section of the Markdown report (`profileText`).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fmt, mdRow } from '../runner/report';
import { summarizeProfile, type CpuProfile, type ProfileSummary, type Stage } from '../runner/profile';
import { phaseName, type PhaseResult } from './figures';

/** Where the services spend their time; a sample counts for a stage when the stage's frame is on its stack. */
const STAGES: Stage[] = [
  { stage: 'graphql-ws server: per-subscriber loop and what it calls', fn: /./, url: /graphql-ws\/dist\/(server|use\/)/ },
  { stage: 'gateway fan-out: one frame per subscriber (delivery.ts)', fn: /^(push|flush|written)$/, url: /gateway\/src\/subscriptions\/delivery/ },
  { stage: 'ws send (framing + socket write)', fn: /^send$/, url: /\/ws\/lib\/websocket\.js/ },
  { stage: 'graphql-ws message JSON.stringify', fn: /^stringifyMessage$/, url: /graphql-ws/ },
  {
    stage: 'graphql-js execute per subscriber per event (subscribe → mapSourceToResponse)',
    fn: /^mapSourceToResponse$/,
    url: /graphql\/execution\/subscribe/,
  },
  { stage: 'gateway Topic.deliver (plan execution + push)', fn: /^deliver$/, url: /gateway\/src\/subscriptions/ },
  { stage: 'gateway executeQueryPlan (events and HTTP)', fn: /^executeQueryPlan$/, url: /@apollo\/gateway/ },
  { stage: 'course NOTIFY dispatch (seat-listener.ts)', fn: /^dispatch$/, url: /seat-listener/ },
  { stage: 'Apollo Server HTTP pipeline (orders)', fn: /^processGraphQLRequest$/, url: /@apollo\/server/ },
  { stage: 'TypeORM + pg client', fn: /./, url: /node_modules\/(typeorm|pg|pg-protocol|pg-pool)\// },
  { stage: 'jsonwebtoken sign/verify (incl. key parsing)', fn: /./, url: /node_modules\/jsonwebtoken\// },
  { stage: 'socket write syscalls (any socket)', fn: /^(writev|writeBuffer|writeUtf8String|writeLatin1String)$/ },
  { stage: 'garbage collection', fn: /^\(garbage collector\)$/ },
  { stage: 'idle', fn: /^\(idle\)$/ },
];

/** Writes each profile to `dir` and summarizes it. */
export function saveProfiles(dir: string, name: string, services: (readonly [string, CpuProfile | null])[], client: CpuProfile | null) {
  const files: string[] = [];
  const save = (who: string, profile: CpuProfile) => {
    const file = join(dir, `${name}-${who.replace(/\W+/g, '-')}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    files.push(file);
  };
  const summaries: Record<string, ProfileSummary> = {};
  for (const [service, profile] of services) {
    if (!profile) continue;
    save(service, profile);
    summaries[service] = summarizeProfile(profile, 30, STAGES);
  }
  if (client) save('client', client);
  return { services: summaries, client: client ? summarizeProfile(client, 15) : null, files };
}

/** The profiles' Markdown section: per profiled phase and service, its stages, top functions and packages. */
export function profileText(phases: PhaseResult[]): string {
  const profiled = phases.filter((phase) => phase.profile);
  if (profiled.length === 0) return '';
  const parts = [
    '## CPU profiles of the services',
    '',
    "Stages are inclusive (the stage's function anywhere on the sampled stack; async continuations start a new stack, so stages overlap only where calls are synchronous); stages a service never entered are left out. Functions are self time.",
    '',
  ];
  for (const phase of profiled) {
    const { services, client, files } = phase.profile!;
    for (const [name, summary] of Object.entries(services)) {
      parts.push(`### ${phaseName(phase)}: ${name} (${fmt(summary.totalMs)} ms sampled)`, '');
      parts.push(
        '| stage | ms | % |',
        '|---|---:|---:|',
        ...summary.stages.filter((row) => row.ms > 0).map((row) => mdRow([row.stage, fmt(row.ms), fmt(row.pct, 1)])),
        '',
      );
      parts.push(
        '| function (self) | ms | % |',
        '|---|---:|---:|',
        ...summary.byFunction.slice(0, 10).map((row) => mdRow([`\`${row.fn}\``, fmt(row.ms), fmt(row.pct, 1)])),
        '',
      );
      parts.push(
        `By package (self): ${summary.byArea
          .slice(0, 10)
          .map((row) => `${row.area} ${fmt(row.pct, 1)}%`)
          .join(', ')}`,
        '',
      );
    }
    if (client)
      parts.push(
        `Client thread (self): ${client.byArea
          .slice(0, 6)
          .map((row) => `${row.area} ${fmt(row.pct, 1)}%`)
          .join(', ')}`,
        '',
      );
    parts.push(`Profiles (open in Chrome DevTools or speedscope): ${files.map((file) => `\`${file}\``).join(', ')}`, '');
  }
  return parts.join('\n');
}
