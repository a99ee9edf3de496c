/**
 * Live seat counts. One LISTEN connection per instance receives the seat
 * event that every committed counter change sends (seat-event.ts), so a change
 * made through any instance reaches the subscribers of all of them. The
 * connection reconnects when lost and then re-sends the current state of
 * every watched course, so no subscriber keeps a stale count.
 */
import { Client } from 'pg';
import { pushIterator, type Logger, type PushIterator } from '@coursegraph/runtime';
import type { Course } from './entities/course';
import { parseSeatEvent, SEAT_EVENTS_CHANNEL, seatEventOf, type SeatEvent } from './seat-event';

/** Events a slow subscriber may fall behind by before its subscription is ended (the client resubscribes for the current state). */
const MAX_BACKLOG = 10_000;

/** Listens for seat events and dispatches them to the subscriptions of this instance. */
export class SeatListener {
  private readonly listeners = new Map<string, Set<(event: SeatEvent) => void>>();
  private client: Client | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private reconnectDelayMs = 100;
  private stopped = false;
  private open = 0;

  constructor(
    private readonly databaseUrl: string,
    /** Reads courses' current state, for the RESYNC after a reconnect. */
    private readonly loadCourses: (ids: string[]) => Promise<(Course | null)[]>,
    private readonly log: Logger,
  ) {}

  /** Connects the listener; the first connection must succeed. */
  start(): Promise<void> {
    return this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  /** Subscriptions currently open on this instance. */
  get openSubscriptions(): number {
    return this.open;
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.databaseUrl, application_name: 'coursegraph-course-events', keepAlive: true });
    const lost = (error?: Error) => {
      if (this.client !== client) return;
      this.log.warn('seat event listener lost its connection', { error: error?.message });
      this.client = null;
      client.end().catch(() => undefined);
      this.scheduleReconnect();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    client.on('notification', (message) => {
      const event = message.payload === undefined ? null : parseSeatEvent(message.payload);
      if (event) this.dispatch(event);
      else this.log.warn('not a seat event, ignored', { channel: message.channel, payload: message.payload?.slice(0, 200) });
    });
    await client.connect();
    await client.query(`LISTEN ${SEAT_EVENTS_CHANNEL}`);
    this.client = client;
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(async () => {
      this.reconnectTimer = null;
      try {
        await this.connect();
        this.reconnectDelayMs = 100;
        this.log.info('seat event listener reconnected');
        await this.resync();
      } catch (error) {
        this.log.warn('seat event listener could not reconnect', { error });
        this.reconnectDelayMs = Math.min(this.reconnectDelayMs * 2, 5_000);
        this.scheduleReconnect();
      }
    }, this.reconnectDelayMs);
  }

  /** Changes may have been missed while disconnected: send every watched course's current state. */
  private async resync(): Promise<void> {
    const ids = [...this.listeners.keys()];
    if (ids.length === 0) return;
    for (const course of await this.loadCourses(ids)) if (course) this.dispatch(seatEventOf(course, 'RESYNC'));
  }

  private dispatch(event: SeatEvent): void {
    for (const listener of this.listeners.get(event.courseId) ?? []) listener(event);
  }

  /**
   * Events of the given courses: first their current state (read after the
   * subscription is registered, so nothing committed in between is missed),
   * then every change. Each course's versions strictly increase: stale and
   * duplicate events are dropped here. `loadState` may throw to refuse the
   * subscription. The iterator releases everything as soon as it is returned.
   */
  async subscribe(courseIds: string[], loadState: () => Promise<Course[]>): Promise<AsyncIterableIterator<SeatEvent>> {
    const lastVersion = new Map<string, number>();
    const subscriber: PushIterator<SeatEvent> = pushIterator<SeatEvent>({
      maxBacklog: MAX_BACKLOG,
      onEnd: () => {
        this.open--;
        for (const id of courseIds) {
          const listeners = this.listeners.get(id);
          listeners?.delete(listener);
          if (listeners?.size === 0) this.listeners.delete(id);
        }
      },
    });
    const listener = (event: SeatEvent) => {
      if (event.version <= (lastVersion.get(event.courseId) ?? -1)) return;
      lastVersion.set(event.courseId, event.version);
      subscriber.push(event);
    };

    this.open++;
    for (const id of courseIds) {
      if (!this.listeners.has(id)) this.listeners.set(id, new Set());
      this.listeners.get(id)!.add(listener);
    }
    try {
      for (const course of await loadState()) listener(seatEventOf(course, 'CURRENT'));
    } catch (error) {
      await subscriber.iterator.return!();
      throw error;
    }
    return subscriber.iterator;
  }
}
