/**
 * A fault-injecting proxy in front of the course subgraph, for the order
 * saga's tests (subgraph-level and end-to-end): it can delay, withhold or
 * refuse each internal call, let a call take effect upstream and lose its
 * answer, or run a hook (lock a row, stop the caller) between the course
 * carrying a call out and the answer going back.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Operation = 'Purchase' | 'Confirm' | 'Cancel' | 'Find' | 'Ledger' | 'other';
/**
 * pass: forward and answer; refuse: drop the connection without an answer;
 * unavailable: answer 503 without forwarding; withhold-request: never forward,
 * never answer; withhold-response: forward (the call takes effect upstream),
 * then never answer; stall-body: forward, send the headers and half the body,
 * then nothing more; late: hold the request for `lateMs` (as a paused
 * process would), then forward it and answer whoever still listens; fake:
 * never forward, answer what `fake` returns (a GraphQL error, an HTTP 429, an
 * answer the course subgraph would not give).
 */
export type Behaviour = 'pass' | 'refuse' | 'unavailable' | 'withhold-request' | 'withhold-response' | 'stall-body' | 'late' | 'fake';

/** The answer a `fake` call gets instead of the course subgraph's. */
export interface FakeAnswer {
  status?: number;
  body: unknown;
}

export interface ProxyEvent {
  operation: Operation;
  behaviour: Behaviour;
  /** What the course subgraph answered, for forwarded calls. */
  upstream?: any;
  /** The call's GraphQL variables. */
  variables?: any;
  /** The x-coursegraph-budget-ms header the caller sent. */
  budget?: string;
}

export class FaultProxy {
  url = '';
  target = '';
  events: ProxyEvent[] = [];
  /** How long a `late` request is held before it is forwarded, ms. */
  lateMs = 1_000;
  /** Decides each call's fate; `n` counts earlier calls of the same operation. */
  rule: (operation: Operation, n: number, variables: any) => Behaviour = () => 'pass';
  /** The answer of a call the rule made `fake`. */
  fake: (operation: Operation, variables: any) => FakeAnswer = () => ({ status: 500, body: 'no fake answer set' });
  /** Runs after the course subgraph carried a forwarded call out and before its answer is passed on. */
  afterUpstream: (event: ProxyEvent) => Promise<void> = async () => undefined;
  /** Forwarded calls still in progress (including `late` ones waiting), so a test can wait for them. */
  private inFlight = new Set<Promise<void>>();
  private server = http.createServer((req, res) => {
    const handled = this.handle(req, res).catch(() => undefined);
    this.inFlight.add(handled);
    void handled.finally(() => this.inFlight.delete(handled));
  });
  private held = new Set<http.ServerResponse>();

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/graphql`;
  }

  heal(): void {
    this.rule = () => 'pass';
    this.fake = () => ({ status: 500, body: 'no fake answer set' });
    this.afterUpstream = async () => undefined;
  }

  count(operation: Operation, behaviour?: Behaviour): number {
    return this.events.filter((e) => e.operation === operation && (!behaviour || e.behaviour === behaviour)).length;
  }

  /** Waits until every call received so far has been handled (late ones forwarded). */
  async settle(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }

  async stop(): Promise<void> {
    for (const res of this.held) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const request = JSON.parse(body) as { query: string; variables?: unknown };
    const name = /^\s*(?:query|mutation)\s+(\w+)/.exec(request.query)?.[1];
    const known: Operation[] = ['Purchase', 'Confirm', 'Cancel', 'Find', 'Ledger'];
    const operation: Operation = known.includes(name as Operation) ? (name as Operation) : 'other';
    const behaviour = this.rule(operation, this.events.filter((e) => e.operation === operation).length, request.variables);
    const event: ProxyEvent = {
      operation,
      behaviour,
      variables: request.variables,
      budget: req.headers['x-coursegraph-budget-ms'] as string | undefined,
    };
    this.events.push(event);
    if (behaviour === 'refuse') {
      req.socket.destroy();
      return;
    }
    if (behaviour === 'unavailable') {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('course subgraph is down');
      return;
    }
    if (behaviour === 'fake') {
      const fake = this.fake(operation, request.variables);
      // A string body is sent as it is (an error page); anything else as JSON.
      const raw = typeof fake.body === 'string';
      res.writeHead(fake.status ?? 200, { 'content-type': raw ? 'text/html' : 'application/json' }).end(raw ? fake.body : JSON.stringify(fake.body));
      return;
    }
    if (behaviour === 'withhold-request') {
      this.hold(res);
      return;
    }
    if (behaviour === 'late') await new Promise((resolve) => setTimeout(resolve, this.lateMs));
    const upstream = await fetch(this.target, {
      method: 'POST',
      headers: Object.fromEntries(Object.entries(req.headers).filter(([k]) => k.startsWith('x-') || k === 'content-type')) as Record<string, string>,
      body,
    });
    const text = await upstream.text();
    event.upstream = JSON.parse(text);
    await this.afterUpstream(event);
    if (behaviour === 'withhold-response') {
      this.hold(res);
      return;
    }
    if (behaviour === 'stall-body') {
      res.writeHead(upstream.status, { 'content-type': 'application/json' });
      res.write(text.slice(0, Math.floor(text.length / 2)));
      this.hold(res);
      return;
    }
    if (!res.destroyed) res.writeHead(upstream.status, { 'content-type': 'application/json' }).end(text);
  }

  private hold(res: http.ServerResponse): void {
    this.held.add(res);
    res.on('close', () => this.held.delete(res));
  }
}
