/**
 * Runs the embedded PostgreSQL for `npm start` as a child in a process group
 * of its own, so a terminal Ctrl-C reaches `npm start` and not PostgreSQL:
 * `npm start` stops the services first and the database last. Reports its URL
 * over IPC; stops on the message 'stop', or when `npm start` goes away.
 */
import { startEmbeddedPostgres } from '@coursegraph/devkit/postgres';

const [dir, port] = process.argv.slice(2);
startEmbeddedPostgres(dir!, Number(port)).then(
  (server) => {
    let stopping = false;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      server.stop().finally(() => process.exit(0));
    };
    process.on('message', (message) => message === 'stop' && stop());
    process.on('disconnect', stop);
    process.send!({ url: server.url });
  },
  (error: unknown) => {
    console.error(`embedded PostgreSQL failed to start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
