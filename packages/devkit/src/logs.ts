/**
 * The JSON log lines that services started in this process write
 * (runtime log.ts: one `{"level":...}` object per line on stdout or stderr),
 * captured for tests. Other output passes through untouched.
 */

/** One parsed log line: the fields every line has, and whatever else it carried. */
export interface LogEntry {
  level: string;
  time: string;
  service: string;
  msg: string;
  requestId?: string;
  [field: string]: unknown;
}

export interface LogCapture {
  /** Everything captured so far, as written. */
  text(): string;
  /** Everything captured so far, parsed. */
  entries(): LogEntry[];
  /** Stops capturing and restores stdout and stderr. */
  restore(): void;
}

/** Starts capturing the log lines written to process.stdout and process.stderr. */
export function captureLogLines(): LogCapture {
  const written: string[] = [];
  const capture = (stream: NodeJS.WriteStream) => {
    const original = stream.write;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
      if (!text.startsWith('{"level":')) return (original as (...args: unknown[]) => boolean).call(stream, chunk, ...rest);
      written.push(text);
      const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    }) as typeof stream.write;
    return () => {
      stream.write = original;
    };
  };
  const restores = [capture(process.stdout), capture(process.stderr)];
  return {
    text: () => written.join(''),
    entries: () =>
      written
        .join('')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as LogEntry),
    restore: () => restores.forEach((restore) => restore()),
  };
}
