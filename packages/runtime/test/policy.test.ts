/** Who may call (src/policy.ts): every rule for nobody, users of each role, and services. */
import { GraphQLError } from 'graphql';
import { isSelfOrAdmin, requireRole, requireSelfOrAdmin, requireService, requireSignedIn, type Caller, type Viewer } from '../src';

const student: Viewer = { userId: 'a0000000-0000-4000-8000-000000000001', roles: ['STUDENT'] };
const instructor: Viewer = { userId: 'a0000000-0000-4000-8000-000000000002', roles: ['INSTRUCTOR', 'STUDENT'] };
const admin: Viewer = { userId: 'a0000000-0000-4000-8000-000000000003', roles: ['ADMIN'] };

/** The code of the GraphQL error `run` throws, or 'allowed'. */
function outcome(run: () => unknown): string {
  try {
    run();
    return 'allowed';
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    return String(error.extensions.code);
  }
}

test('requireSignedIn: anyone signed in; nobody is UNAUTHENTICATED', () => {
  expect(requireSignedIn(student)).toBe(student);
  expect(outcome(() => requireSignedIn(null))).toBe('UNAUTHENTICATED');
});

test('requireRole: any of the roles; others FORBIDDEN with the message; nobody UNAUTHENTICATED', () => {
  const teach = (viewer: Viewer | null) => requireRole(viewer, ['INSTRUCTOR', 'ADMIN'], 'Only instructors and admins.');
  expect(teach(instructor)).toBe(instructor);
  expect(teach(admin)).toBe(admin);
  expect(outcome(() => teach(student))).toBe('FORBIDDEN');
  expect(() => teach(student)).toThrow('Only instructors and admins.');
  expect(outcome(() => teach(null))).toBe('UNAUTHENTICATED');
});

test('isSelfOrAdmin and requireSelfOrAdmin: the user themself or an admin', () => {
  expect([student, instructor, admin, null].map((viewer) => isSelfOrAdmin(viewer, student.userId))).toEqual([true, false, true, false]);
  expect(isSelfOrAdmin(student, undefined)).toBe(false);
  expect(requireSelfOrAdmin(admin, student.userId, 'Not yours.')).toBe(admin);
  expect(outcome(() => requireSelfOrAdmin(instructor, student.userId, 'Not yours.'))).toBe('FORBIDDEN');
  expect(() => requireSelfOrAdmin(instructor, student.userId, 'Not yours.')).toThrow('Not yours.');
  expect(outcome(() => requireSelfOrAdmin(null, student.userId, 'Not yours.'))).toBe('UNAUTHENTICATED');
});

test('requireService: services only, never users, not even admins', () => {
  const caller = (service: string | null, viewer: Viewer | null): Caller => ({ service, viewer, address: null, deadline: null });
  expect(outcome(() => requireService(caller('order', null)))).toBe('allowed');
  expect(outcome(() => requireService(caller(null, admin)))).toBe('FORBIDDEN');
  expect(outcome(() => requireService(caller(null, null)))).toBe('FORBIDDEN');
});
