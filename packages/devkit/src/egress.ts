/**
 * Records every outbound TCP connection a test process tries that does not
 * go to this machine (127.0.0.0/8, ::1, localhost, or a unix socket), and
 * refuses it. coursegraph talks only to its own services and databases; the
 * test for that (tests/egress.e2e.test.ts) reads `attemptedEgress`.
 * Installed for every test file by packages/devkit/src/env.ts.
 */
import net from 'node:net';

const LOCAL = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost)$/i;

type Connect = (this: net.Socket, ...args: unknown[]) => net.Socket;
// Kept on the (process-wide) Socket prototype: jest gives every test file its own module instances.
const attempts = Symbol.for('coursegraph.egressGuard');
const prototype = net.Socket.prototype as unknown as { connect: Connect; [attempts]?: string[] };

/** Destinations (`host:port`) of refused connections in this process, in order. */
export const attemptedEgress: string[] = (prototype[attempts] ??= install());

function install(): string[] {
  const refused: string[] = [];
  const connect = prototype.connect;
  prototype.connect = function (this: net.Socket, ...args: unknown[]): net.Socket {
    const first = args[0];
    const options = (Array.isArray(first) ? first[0] : first) as { host?: string; port?: number; path?: string } | number | string;
    let host: string | undefined;
    let port: unknown;
    if (typeof options === 'object' && options !== null) {
      host = options.path ? undefined : (options.host ?? 'localhost');
      port = options.port;
    } else if (typeof options === 'number' || /^\d+$/.test(String(options))) {
      port = options;
      host = typeof args[1] === 'string' ? args[1] : 'localhost';
    }
    if (host !== undefined && !LOCAL.test(host.replace(/^\[|\]$/g, ''))) {
      refused.push(`${host}:${String(port)}`);
      process.nextTick(() => this.destroy(new Error(`test egress guard: no connections off this machine (${host}:${String(port)})`)));
      return this;
    }
    return connect.apply(this, args);
  };
  return refused;
}
