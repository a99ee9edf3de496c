/**
 * Live seat counts of up to 50 courses through one `seatsChanged`
 * subscription: the current counts first, then every committed change. An
 * event older than one already shown (a lower `version`, as after a
 * reconnect) is ignored, so a count never steps back.
 */
import { useMemo } from 'react';
import { useSubscription } from 'urql';
import { graphql } from './__generated__';

const LiveSeatsDocument = graphql(`
  subscription LiveSeats($courseIds: [ID!]!) {
    seatsChanged(courseIds: $courseIds) {
      courseId
      seatsAvailable
      version
    }
  }
`);

/** The gateway's limit of courses per subscription. */
const MAX_COURSES = 50;

export interface LiveSeat {
  seatsAvailable: number;
  version: number;
}

/** Seats available by course id, for the courses seen so far; empty until the first event. */
export function useLiveSeats(courseIds: readonly string[]): ReadonlyMap<string, LiveSeat> {
  // One subscription per set of courses, whatever the order or the array's identity.
  const key = [...new Set(courseIds)].sort().slice(0, MAX_COURSES).join(',');
  const ids = useMemo(() => (key ? key.split(',') : []), [key]);
  const [result] = useSubscription(
    { query: LiveSeatsDocument, variables: { courseIds: ids }, pause: ids.length === 0 },
    (seen: Map<string, LiveSeat> = new Map(), event): Map<string, LiveSeat> => {
      const { courseId, seatsAvailable, version } = event.seatsChanged;
      if ((seen.get(courseId)?.version ?? -1) >= version) return seen;
      return new Map(seen).set(courseId, { seatsAvailable, version });
    },
  );
  return result.data ?? EMPTY;
}

const EMPTY: ReadonlyMap<string, LiveSeat> = new Map();
