/** Process entry for every service: start, log where, stop cleanly on SIGINT/SIGTERM. */
import type { Logger } from './log';
import type { RunningServer } from './http';

export function runService(name: string, log: Logger, start: () => Promise<RunningServer>): void {
  start().then(
    (server) => {
      log.info(`${name} ready`, { url: `${server.url}/graphql` });
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) {
          log.warn('second signal, exiting now', { signal });
          process.exit(1);
        }
        stopping = true;
        log.info('stopping', { signal });
        server.stop().then(
          () => process.exit(0),
          (error: unknown) => {
            log.error('unclean stop', { error });
            process.exit(1);
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
