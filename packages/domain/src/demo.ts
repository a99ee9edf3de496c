/**
 * Fixed demo accounts for `npm start`, so demo data, printed credentials and
 * tokens agree across runs. Development only: the passwords are public.
 */
import type { Viewer } from '@coursegraph/runtime';

export interface DemoAccount extends Viewer {
  email: string;
  displayName: string;
  password: string;
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
  },
  secondInstructor: {
    userId: '1a5e0000-0000-4000-8000-000000000003',
    roles: ['INSTRUCTOR'],
    email: 'teacher@demo.coursegraph.dev',
    displayName: 'Theo Teacher',
    password: 'demo-teacher-password',
  },
  admin: {
    userId: 'ad010000-0000-4000-8000-000000000004',
    roles: ['ADMIN'],
    email: 'admin@demo.coursegraph.dev',
    displayName: 'Ada Admin',
    password: 'demo-admin-password',
  },
} satisfies Record<string, DemoAccount>;
