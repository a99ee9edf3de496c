/**
 * The floor no subscriber can beat: a plain PostgreSQL `LISTEN` on the seat
 * channel, in the driver's thread. Its latency (ms) is receive time minus the
 * event's changedAt truncated to the millisecond (as the subgraph sends it):
 * the transaction finishing and PostgreSQL delivering the NOTIFY.
 */
import { Client as PgClient } from 'pg';
import type { ProbeReport } from './messages';

export class Probe {
  private client: PgClient | null = null;
  private courseId = '';
  private latencies: number[] = [];

  async start(databaseUrl: string, channel: string): Promise<void> {
    this.client = new PgClient({ connectionString: databaseUrl, application_name: 'coursegraph-bench-probe' });
    this.client.on('notification', (message) => {
      const now = Date.now();
      if (!message.payload) return;
      const event = JSON.parse(message.payload) as { courseId: string; changedAt: string };
      // Truncated to the millisecond, as the subgraph sends it.
      if (event.courseId === this.courseId) this.latencies.push(now - Date.parse(new Date(event.changedAt).toISOString()));
    });
    this.client.on('error', () => undefined);
    await this.client.connect();
    await this.client.query(`LISTEN ${channel}`);
  }

  /** From now on, times the events of `courseId` (the phase's course) only. */
  watch(courseId: string): void {
    this.courseId = courseId;
    this.latencies = [];
  }

  report(): ProbeReport {
    return { type: 'probe-report', latencies: Float64Array.from(this.latencies) };
  }

  async stop(): Promise<void> {
    await this.client?.end().catch(() => undefined);
    this.client = null;
  }
}
