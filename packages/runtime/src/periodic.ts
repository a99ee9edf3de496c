import type { Logger } from './log';
import { newRequestId, runWithRequestId } from './request-id';

/**
 * Runs `task` every `intervalSeconds`, counted from the end of the previous
 * run so runs never overlap. `stop` cancels the next run and waits for one in
 * progress. Background work (expiry sweeps, reconciliation) uses this.
 * Each run is its own unit of work with a new request id (request-id.ts):
 * its log lines and the calls it makes to other services carry it.
 */
export function startPeriodic(name: string, intervalSeconds: number, task: () => Promise<number>, log: Logger) {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout;
  const schedule = () => {
    timer = setTimeout(() => {
      running = runWithRequestId(newRequestId(), () =>
        task().then(
          (count) => void (count > 0 && log.info(name, { count })),
          (error: unknown) => log.error(`${name} failed`, { error }),
        ),
      ).finally(() => {
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
