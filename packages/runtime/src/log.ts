/**
 * Every service's logger: pino, behind the small `Logger` interface the code
 * calls (`log.info(msg, fields)`), so tests can pass a plain object instead.
 *
 * - Format: one JSON object per line, `{"level":"info","time":"<ISO 8601>",
 *   "pid","hostname","service","requestId"?,...fields,"msg"}`. Readable
 *   (pino-pretty) instead only outside production, when stdout is a terminal
 *   and LOG_FORMAT is not `json`; LOG_FORMAT=pretty forces it (README,
 *   "Logs"). Tools that parse lines (bench/catalog/sql-per-request.ts, tests)
 *   read pipes, so they always get JSON.
 * - Level: LOG_LEVEL (debug, info, warn, error, silent; anything else is info),
 *   read when the logger is made. debug and info go to stdout, warn and error
 *   to stderr (so `npm run audit` keeps its report alone on stdout).
 * - `requestId`: added to every line made while a request, subscription or job
 *   run is handled (request-id.ts).
 * - Errors: any `error` or `err` field is serialised by pino's
 *   `errWithCause` (type, message, stack, own fields, causes).
 * - Secrets: the fields in REDACTED_PATHS are written as "[Redacted]", up to
 *   two levels deep (`password`, `input.password`, `variables.input.password`).
 */
import { hostname } from 'node:os';
import pino from 'pino';
import { prettyFactory } from 'pino-pretty';
import { currentRequestId } from './request-id';
import { CLIENT_HEADER, IDENTITY_HEADER, SERVICE_HEADER } from './identity';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

const LEVELS = new Set(['debug', 'info', 'warn', 'error', 'silent']);

/** Field names whose values are credentials: never written, at any of the first three levels of a line. */
const SECRET_FIELDS = [
  'password',
  'token',
  'accessToken',
  'refreshToken',
  'secret',
  'authorization',
  'cookie',
  'set-cookie',
  IDENTITY_HEADER,
  SERVICE_HEADER,
  CLIENT_HEADER,
];

/**
 * pino `redact` paths: each secret field at the top, one and two levels down;
 * and TypeORM's `parameters` on a logged query error (they may hold password
 * hashes; LOG_SQL's own `parameters` field is a separate, opt-in debug aid).
 */
export const REDACTED_PATHS = [
  ...SECRET_FIELDS.flatMap((name) => [`["${name}"]`, `*["${name}"]`, `*.*["${name}"]`]),
  'error.parameters',
  'err.parameters',
];

/** Where lines go and how they look; tests may pass their own `destination`. */
export interface LoggerOptions {
  /** Receives every line (all levels), as written; the default splits stdout and stderr as described above. */
  destination?: pino.DestinationStream;
}

/** Whether lines are made readable: see the module comment. */
function pretty(): boolean {
  const format = process.env.LOG_FORMAT;
  if (format === 'json') return false;
  if (format === 'pretty') return true;
  return process.env.NODE_ENV !== 'production' && process.stdout.isTTY === true;
}

/** A stream writing each JSON line to `stream`, made readable when `readable`. */
function to(stream: NodeJS.WritableStream, readable: boolean): pino.DestinationStream {
  if (!readable) return stream;
  const prettify = prettyFactory({ colorize: true, ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss.l' });
  return { write: (line: string) => void stream.write(prettify(line)) };
}

function defaultDestination(): pino.DestinationStream {
  const readable = pretty();
  return pino.multistream(
    [
      { level: 'debug', stream: to(process.stdout, readable) },
      { level: 'warn', stream: to(process.stderr, readable) },
    ],
    // Each line to the stream of the highest level it reaches only.
    { dedupe: true },
  );
}

/** A logger whose every line carries `service` (see the module comment for the rest). */
export function createLogger(service: string, options: LoggerOptions = {}): Logger {
  const level = process.env.LOG_LEVEL && LEVELS.has(process.env.LOG_LEVEL) ? process.env.LOG_LEVEL : 'info';
  const logger = pino(
    {
      level,
      base: { pid: process.pid, hostname: hostname(), service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => {
        const requestId = currentRequestId();
        return requestId === undefined ? {} : { requestId };
      },
      serializers: { error: pino.stdSerializers.errWithCause, err: pino.stdSerializers.errWithCause },
      redact: REDACTED_PATHS,
    },
    options.destination ?? defaultDestination(),
  );
  const at =
    (method: 'debug' | 'info' | 'warn' | 'error') =>
    (msg: string, fields?: Record<string, unknown>): void =>
      fields ? logger[method](fields, msg) : logger[method](msg);
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
