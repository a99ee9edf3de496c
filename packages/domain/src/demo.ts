/**
 * Fixed demo accounts for `npm start`, so demo data, printed credentials and
 * tokens agree across runs. Development only: the passwords are public.
 */
import type { Viewer } from '@coursegraph/runtime';

export interface DemoAccount extends Viewer {
  email: string;
  displayName: string;
  password: string;
  /** Public profile (instructors): one line, at most 120 characters. */
  headline?: string;
  /** Public profile: at most 2000 characters, line breaks allowed. */
  bio?: string;
  /** Public profile: an absolute https URL. */
  website?: string;
}

export const DEMO_USERS = {
  student: {
    userId: '5a1d0000-0000-4000-8000-000000000001',
    roles: ['STUDENT'],
    email: 'student@demo.coursegraph.dev',
    displayName: 'Sam Student',
    password: 'demo-student-password',
  },
  instructor: {
    userId: '1a5e0000-0000-4000-8000-000000000002',
    roles: ['INSTRUCTOR'],
    email: 'instructor@demo.coursegraph.dev',
    displayName: 'Ines Instructor',
    password: 'demo-instructor-password',
    headline: 'Backend engineer teaching PostgreSQL, APIs and distributed systems',
    bio: 'Ines spent twelve years building payment and booking systems, most of them on PostgreSQL.\n\nHer courses start from a working system and break it on purpose: locks, retries, timeouts and the bugs they hide.',
    website: 'https://ines.demo.coursegraph.dev',
  },
  secondInstructor: {
    userId: '1a5e0000-0000-4000-8000-000000000003',
    roles: ['INSTRUCTOR'],
    email: 'teacher@demo.coursegraph.dev',
    displayName: 'Theo Teacher',
    password: 'demo-teacher-password',
    headline: 'Frontend developer and accessibility advocate',
    bio: 'Theo builds web interfaces that work for everyone, with a keyboard, a screen reader or a slow phone.\n\nHe teaches TypeScript, React and GraphQL clients through small projects you can finish in an evening.',
    website: 'https://theo.demo.coursegraph.dev/courses',
  },
  admin: {
    userId: 'ad010000-0000-4000-8000-000000000004',
    roles: ['ADMIN'],
    email: 'admin@demo.coursegraph.dev',
    displayName: 'Ada Admin',
    password: 'demo-admin-password',
  },
} satisfies Record<string, DemoAccount>;
