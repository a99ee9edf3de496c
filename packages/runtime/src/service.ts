/** Process entry for every service: start, log where, stop cleanly on SIGINT/SIGTERM (and export the spans still buffered). */
import type { Logger } from './log';
import type { RunningServer } from './http';
import { stopTracing } from './tracing';

/** Exits after the buffered spans are exported (at once when tracing is off). */
const exitAfterTraces = (code: number) => void stopTracing().then(() => process.exit(code));

export function runService(name: string, log: Logger, start: () => Promise<RunningServer>): void {
  start().then(
    (server) => {
      log.info(`${name} ready`, { url: `${server.url}/graphql` });
      let stopping = false;
      const stop = (signal: string) => {
        // Repeated signals (a terminal and a supervisor both asking) must not cut a clean stop short.
        if (stopping) return;
        stopping = true;
        log.info('stopping', { signal });
        setTimeout(() => {
          log.error('did not stop within 10 s, exiting');
          process.exit(1);
        }, 10_000).unref();
        server.stop().then(
          () => exitAfterTraces(0),
          (error: unknown) => {
            log.error('unclean stop', { error });
            exitAfterTraces(1);
          },
        );
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    },
    (error: unknown) => {
      log.error(`${name} failed to start`, { error });
      process.exit(1);
    },
  );
}
