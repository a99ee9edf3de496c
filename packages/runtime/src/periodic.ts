import type { Logger } from './log';

/**
 * Runs `task` every `intervalSeconds`, counted from the end of the previous
 * run so runs never overlap. `stop` cancels the next run and waits for one in
 * progress. Background work (expiry sweeps, reconciliation) uses this.
 */
export function startPeriodic(name: string, intervalSeconds: number, task: () => Promise<number>, log: Logger) {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout;
  const schedule = () => {
    timer = setTimeout(() => {
      running = task()
        .then(
          (count) => void (count > 0 && log.info(name, { count })),
          (error: unknown) => log.error(`${name} failed`, { error }),
        )
        .finally(() => {
          if (!stopped) schedule();
        });
    }, intervalSeconds * 1000);
  };
  schedule();
  return {
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
