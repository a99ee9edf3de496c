/**
 * The catalog benchmark's JSON document (bench/results/catalog.json): the
 * run, machine and command; `catalog`, the catalog page part (parameters,
 * operations, Hive Gateway's version or why it was skipped, the medians and
 * derived figures, CPU ms per request, every round, the gateway's profiles,
 * the SQL counts with their text), or null when not run; `search`, the
 * search scenario (search.ts: data, selectivity, variables, medians and
 * ratios, every round, SQL counts, EXPLAIN plans), or null; and the
 * problems and notes of both.
 */
import { resultHeader, type Machine } from '../runner/results';
import type { CatalogFigures } from './figures';
import type { HiveStatus } from './hive';
import { CATALOG, CATALOG_AFTER, COURSE_PART, ORDER_PART } from './operations';
import { catalogCommand, PAGE, SQL_PAGE_SIZES, type CatalogOptions } from './options';
import type { Measurements } from './rounds';
import type { SearchOutcome } from './search';
import type { SqlCount } from './sql-per-request';

export interface CatalogOutcome {
  measurements: Measurements;
  figures: CatalogFigures;
  sql: SqlCount[];
  hive: HiveStatus;
  problems: string[];
}

type CatalogMachine = Machine & { loadAverageAtStart: number[]; loadAverageAtEnd: number[]; postgres: string | null };

function catalogPart(options: CatalogOptions, { measurements, figures, sql, hive }: CatalogOutcome) {
  return {
    parameters: {
      courses: options.courses,
      pageSize: PAGE,
      durationSeconds: options.duration,
      connections: options.connections,
      serialRequests: options.serial,
      rounds: options.rounds,
      sqlPageSizes: SQL_PAGE_SIZES,
    },
    operations: { gateway: CATALOG, gatewayDistinctPages: CATALOG_AFTER, courseSubgraph: COURSE_PART, orderSubgraph: ORDER_PART },
    hive:
      'version' in hive
        ? {
            version: hive.version,
            mode: 'one process (--fork 0), NODE_ENV=production, default settings but for propagateHeaders (x-coursegraph-identity to the subgraphs)',
          }
        : hive,
    medians: figures.summary,
    derived: figures.derived,
    cpuMsPerRequest: figures.cpuPerRequest,
    rounds: { load: measurements.loads, serial: measurements.serials },
    gatewayProfiles: measurements.profiles,
    sqlPerRequest: sql,
  };
}

function searchPart(options: CatalogOptions, search: SearchOutcome) {
  const { rounds, figures, problems: _problems, ...rest } = search;
  return {
    parameters: {
      pageSize: PAGE,
      durationSeconds: options.duration,
      connections: [1, options.connections],
      serialRequests: options.serial,
      rounds: options.rounds,
    },
    ...rest,
    medians: { search: figures.search, baseline: figures.baseline },
    ratiosSearchOverBaseline: figures.ratios,
    aim: figures.aim,
    rounds: { oneConnection: rounds.one, connections: rounds.many, serial: rounds.serial },
  };
}

export function catalogResults(
  options: CatalogOptions,
  startedAt: Date,
  machine: CatalogMachine,
  parts: { catalog: CatalogOutcome | null; search: SearchOutcome | null },
) {
  const problems = [...(parts.catalog?.problems ?? []), ...(parts.search?.problems ?? [])];
  return {
    ...resultHeader('catalog', startedAt, catalogCommand(options), machine),
    catalog: parts.catalog && catalogPart(options, parts.catalog),
    search: parts.search && searchPart(options, parts.search),
    ok: problems.length === 0,
    problems,
    notes: [...(parts.catalog?.figures.notes ?? []), ...(parts.search?.figures.notes ?? [])],
  };
}

export type CatalogResults = ReturnType<typeof catalogResults>;
export type CatalogPart = ReturnType<typeof catalogPart>;
export type SearchPart = ReturnType<typeof searchPart>;
