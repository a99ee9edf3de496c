/**
 * What the subscriptions benchmark asks of the services: the seatsChanged
 * subscription, placeOrder, a course created and published through the
 * gateway by a new instructor for each phase, the course's final
 * seats_version, and the services' /health (the gateway's topics; no
 * subscription or connection of a phase may outlive it).
 */
import { randomUUID } from 'node:crypto';
import type { Role, Viewer } from '@coursegraph/runtime';
import { sleep } from '@coursegraph/devkit/timing';
import type { Services } from '../runner/services';

export const SUBSCRIPTION = `subscription BenchSeats($courseIds: [ID!]!) {
  seatsChanged(courseIds: $courseIds) { courseId seatsAvailable version reason changedAt }
}`;
export const PLACE_ORDER = `mutation BenchPlaceOrder($input: PlaceOrderInput!) {
  placeOrder(input: $input) { order { id status } userErrors { code message } }
}`;
const CREATE_COURSE = `mutation BenchCreateCourse($input: CreateCourseInput!) {
  createCourse(input: $input) { course { id } userErrors { code message } }
}`;
const PUBLISH_COURSE = `mutation BenchPublishCourse($input: CourseIdInput!) {
  publishCourse(input: $input) { course { id status } userErrors { code message } }
}`;
const SEATS_VERSION = `query BenchSeatsVersion($id: ID!) { course(id: $id) { seatsVersion } }`;
export const PRICE = { amount: 1_000, currency: 'USD' };

export const newUser = (role: Role): Viewer => ({ userId: randomUUID(), roles: [role] });

/** POSTs a GraphQL operation to the gateway as `viewer`; throws unless it answers data without errors. */
async function call<T>(services: Services, query: string, variables: object, viewer: Viewer): Promise<T> {
  const response = await fetch(services.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${services.token(viewer)}` },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  const body = JSON.parse(text) as { data?: T; errors?: unknown[] };
  if (!response.ok || !body.data || body.errors) throw new Error(`gateway answered ${response.status}: ${text.slice(0, 500)}`);
  return body.data;
}

export interface PhaseCourse {
  id: string;
  instructor: Viewer;
}

/** A published course with enough seats, created through the gateway by a new instructor. */
export async function createCourse(services: Services, capacity: number): Promise<PhaseCourse> {
  const instructor = newUser('INSTRUCTOR');
  const input = { title: 'Benchmark course', description: 'Made by bench/subscriptions.ts.', price: PRICE, capacity };
  type Payload = { course: { id: string } | null; userErrors: unknown[] };
  const { createCourse: created } = await call<{ createCourse: Payload }>(services, CREATE_COURSE, { input }, instructor);
  if (!created.course) throw new Error(`createCourse failed: ${JSON.stringify(created.userErrors)}`);
  const { publishCourse: published } = await call<{ publishCourse: Payload }>(
    services,
    PUBLISH_COURSE,
    { input: { courseId: created.course.id } },
    instructor,
  );
  if (!published.course) throw new Error(`publishCourse failed: ${JSON.stringify(published.userErrors)}`);
  return { id: created.course.id, instructor };
}

/** The course's seats_version now (its instructor asks). */
export async function seatsVersion(services: Services, course: PhaseCourse): Promise<number> {
  const { course: final } = await call<{ course: { seatsVersion: number } }>(services, SEATS_VERSION, { id: course.id }, course.instructor);
  return final.seatsVersion;
}

async function health(url: string): Promise<Record<string, unknown>> {
  const response = await fetch(new URL('/health', url), { signal: AbortSignal.timeout(5_000) });
  return (await response.json()) as Record<string, unknown>;
}

/** The gateways' upstream subscriptions now, summed: one per topic and gateway. */
export async function gatewayTopics(services: Services): Promise<number> {
  const healths = await Promise.all(services.gatewayUrls.map(health));
  return healths.reduce((sum, one) => sum + (one.subscriptions as { upstream: number }).upstream, 0);
}

/** Waits until neither a gateway nor the course subgraph holds a connection or subscription of a previous phase. */
export async function waitIdle(services: Services): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const gateways = (await Promise.all(services.gatewayUrls.map(health))).map(
      (one) => one.subscriptions as { connections: number; upstream: number },
    );
    const course = (await health(services.courseUrl)).subscriptions as number;
    if (gateways.every((gateway) => gateway.connections === 0 && gateway.upstream === 0) && course === 0) return;
    if (Date.now() > deadline)
      throw new Error(`services still busy after a phase: gateways ${JSON.stringify(gateways)}, course subscriptions ${course}`);
    await sleep(100);
  }
}
