/**
 * One benchmark run from start to exit: its log, what it holds (PostgreSQL,
 * the services, database clients, worker threads, other processes) and how it
 * ends. Whatever the run holds is released once, last held first: when main
 * returns or throws, on Ctrl-C (SIGINT, exit 130), SIGTERM (143) and when the
 * run exceeds --max-seconds (exit 2). A second Ctrl-C does not cut that short.
 * An interrupted run writes no results.
 */

type Release = () => unknown;

export class BenchRun {
  /** Set once a signal or the watchdog stopped the run: main must not write results then. */
  aborted = false;
  private readonly held: { name: string; release: Release }[] = [];
  private cleaning: Promise<void> | null = null;

  /** A line on stdout, stamped with the time of day. */
  readonly log = (line: string): void => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);

  /** Holds `name` until cleanup(); the returned function releases it earlier (once), as cleanup() would. */
  hold(name: string, release: Release): () => Promise<void> {
    const entry = { name, release };
    if (this.cleaning) {
      // Started while the run was already being stopped: stop it too.
      const released = this.release(entry);
      return () => released;
    }
    this.held.push(entry);
    return () => {
      const index = this.held.indexOf(entry);
      if (index < 0) return Promise.resolve();
      this.held.splice(index, 1);
      return this.release(entry);
    };
  }

  /** Releases everything still held, last held first; a second call waits for the first. */
  cleanup(): Promise<void> {
    this.cleaning ??= (async () => {
      for (let entry = this.held.pop(); entry; entry = this.held.pop()) await this.release(entry);
    })();
    return this.cleaning;
  }

  /** Stops what can be stopped within 60 s, then exits with `code`. Once: a repeated signal must not cut the cleanup short. */
  abort(reason: string, code: number): void {
    if (this.aborted) return void console.error(`[bench] ${reason}; still cleaning up`);
    this.aborted = true;
    console.error(`[bench] ${reason}; cleaning up`);
    setTimeout(() => process.exit(code), 60_000).unref();
    void this.cleanup().finally(() => {
      console.error('[bench] cleaned up');
      process.exit(code);
    });
  }

  private async release({ name, release }: { name: string; release: Release }): Promise<void> {
    try {
      await release();
    } catch (error) {
      this.log(`stopping ${name} failed: ${String(error)}`);
    }
  }
}

/**
 * Runs a benchmark's `main` (its exit code: 0 when every check held) with a
 * hard stop after `maxSeconds` and cleanup on Ctrl-C, both through
 * BenchRun.abort. `on`, not `once`: npm and tsx relay a terminal's Ctrl-C
 * again, and tsx exits on a signal nobody listens to.
 */
export function runBenchmark(main: (run: BenchRun) => Promise<number>, maxSeconds: number): void {
  const run = new BenchRun();
  const watchdog = setTimeout(() => run.abort(`still running after ${maxSeconds} s (--max-seconds)`, 2), maxSeconds * 1000);
  process.on('SIGINT', () => run.abort('got SIGINT', 130));
  process.on('SIGTERM', () => run.abort('got SIGTERM', 143));
  main(run)
    .catch((error: unknown) => {
      console.error(error);
      return 1;
    })
    .then(async (code) => {
      await run.cleanup();
      if (run.aborted) return; // abort() exits once its cleanup is done
      clearTimeout(watchdog);
      process.exitCode = code;
      // Everything is closed; if a handle lingers anyway, say so rather than hang.
      setTimeout(() => {
        console.error('[bench] something still holds the event loop open; exiting');
        process.exit(code);
      }, 5_000).unref();
    });
}
