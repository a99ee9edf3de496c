/**
 * The shape of one hostile request in the standing abuse suite
 * (tests/abuse.e2e.test.ts). Case tables live beside this file, one per
 * surface (http.ts, input.ts, websocket.ts), and index.ts joins them.
 */
import type { Viewer } from '@coursegraph/runtime';
import type { Stack } from '@coursegraph/devkit/stack';

/** What the suite makes once before the cases run. */
export interface AbuseFixtures {
  stack: Stack;
  student: Viewer;
  instructor: Viewer;
  admin: Viewer;
  /** Published, capacity 5, USD 10.00, owned by `instructor`. */
  publishedCourseId: string;
  /** A draft owned by `instructor`: visible to its owner and admins only. */
  draftCourseId: string;
  /** `student`'s CONFIRMED order of the published course. */
  orderId: string;
}

/** What the client saw. */
export interface AbuseOutcome {
  /**
   * Every code the answer carried: GraphQL `extensions.code`s, `userErrors`
   * codes, and for websockets `CLOSE_<code>` when the server closed the socket.
   */
  codes: string[];
  /** Bytes the client received in answer (HTTP body, or all websocket messages). */
  responseBytes: number;
  /** The raw answer text, searched for leaks (stack traces, SQL, internal messages). */
  text: string;
}

export interface AbuseCase {
  /** What the attacker or the careless client does, as a sentence. */
  name: string;
  /** Sends the request; must finish by itself (time-limited sockets, bounded loops). */
  send(fixtures: AbuseFixtures): Promise<AbuseOutcome>;
  /** The code the client must see among `codes`. */
  expectCode: string;
  /** Upper bound of `responseBytes`; the suite's default is 16 KiB. */
  maxResponseBytes?: number;
}
