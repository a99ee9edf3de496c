/** listen(): a socket whose answer stalls is cut after socketTimeoutMs; slow answers, idle keep-alive sockets and websockets are not. */
import http from 'node:http';
import net from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { DEFAULT_SERVER_LIMITS, listen } from '../src';

const SOCKET_TIMEOUT_MS = 1_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let server: http.Server;
let port: number;
let wss: WebSocketServer;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/big') {
      // Far more than the socket buffers hold, so writing stalls once the client stops reading.
      const chunk = Buffer.alloc(1024 * 1024, 'x');
      res.writeHead(200, { 'content-type': 'text/plain' });
      const write = (left: number): void => {
        if (left === 0 || res.destroyed) return void res.end();
        if (res.write(chunk)) setImmediate(() => write(left - 1));
        else res.once('drain', () => write(left - 1));
      };
      write(64);
    } else if (req.url === '/slow') {
      // Nothing moves for half the timeout (room for a loaded machine's timers), then the answer comes.
      setTimeout(() => res.end('slow'), SOCKET_TIMEOUT_MS * 0.5);
    } else if (req.url === '/trickle') {
      // Longer than the timeout in all, but a byte moves more often than it.
      let sent = 0;
      const timer = setInterval(() => {
        res.write('.');
        if (++sent === 6) {
          clearInterval(timer);
          res.end();
        }
      }, SOCKET_TIMEOUT_MS * 0.5);
    } else {
      res.end('ok');
    }
  });
  wss = new WebSocketServer({ server });
  wss.on('connection', (socket) => socket.on('message', (data) => socket.send(data)));
  ({ port } = await listen(server, 0, '127.0.0.1', { ...DEFAULT_SERVER_LIMITS, socketTimeoutMs: SOCKET_TIMEOUT_MS }));
});
afterAll(async () => {
  for (const client of wss.clients) client.terminate();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** A raw socket that has sent `GET path` with keep-alive. */
async function request(path: string): Promise<net.Socket> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n`);
  return socket;
}

/** Resolves with everything `socket` receives until `done(text)` says the answer is complete. */
function readUntil(socket: net.Socket, done: (text: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (data: Buffer) => {
      text += data.toString();
      if (done(text)) {
        socket.off('data', onData);
        socket.off('close', onClose);
        resolve(text);
      }
    };
    const onClose = () => reject(new Error(`socket closed after ${JSON.stringify(text)}`));
    socket.on('data', onData);
    socket.once('close', onClose);
  });
}

test('a client that never reads a large answer has its socket closed after socketTimeoutMs', async () => {
  // Watched on the server's side: a paused client does not read, so it would not see the end either.
  const serverSockets: net.Socket[] = [];
  const onConnection = (socket: net.Socket) => serverSockets.push(socket);
  server.on('connection', onConnection);
  const sockets = await Promise.all([1, 2, 3].map(() => request('/big')));
  for (const socket of sockets) socket.pause();
  const started = Date.now();
  await sleep(100);
  server.off('connection', onConnection);
  expect(serverSockets).toHaveLength(3);
  await Promise.all(serverSockets.map((socket) => (socket.destroyed ? null : new Promise((resolve) => socket.once('close', resolve)))));
  expect(Date.now() - started).toBeLessThan(SOCKET_TIMEOUT_MS * 4);
  for (const socket of sockets) socket.destroy();
}, 10_000);

test('an answer that keeps nothing moving for less than socketTimeoutMs arrives', async () => {
  const socket = await request('/slow');
  expect(await readUntil(socket, (text) => text.endsWith('slow'))).toMatch(/^HTTP\/1\.1 200/);
  socket.destroy();
});

test('an answer taking longer than socketTimeoutMs in all, but moving more often, arrives whole', async () => {
  const socket = await request('/trickle');
  const text = await readUntil(socket, (received) => received.endsWith('0\r\n\r\n'));
  expect(text.match(/\r\n\.\r\n/g)).toHaveLength(6);
  socket.destroy();
});

test('an idle keep-alive socket follows keepAliveTimeout, not socketTimeoutMs', async () => {
  const socket = await request('/');
  await readUntil(socket, (text) => text.endsWith('ok'));
  await sleep(SOCKET_TIMEOUT_MS * 2.5);
  socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
  expect(await readUntil(socket, (text) => text.endsWith('ok'))).toMatch(/^HTTP\/1\.1 200/);
  socket.destroy();
});

test('a websocket idle longer than socketTimeoutMs stays open', async () => {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/`);
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  await sleep(SOCKET_TIMEOUT_MS * 2.5);
  expect(socket.readyState).toBe(WebSocket.OPEN);
  const echo = new Promise((resolve) => socket.once('message', (data) => resolve(data.toString())));
  socket.send('still here');
  expect(await echo).toBe('still here');
  socket.close();
});
