/** Fixed demo users, so demo data and printed development tokens agree across runs. */
import type { Viewer } from './identity';

export const DEMO_USERS = {
  student: { userId: '5a1d0000-0000-4000-8000-000000000001', roles: ['STUDENT'] },
  instructor: { userId: '1a5e0000-0000-4000-8000-000000000002', roles: ['INSTRUCTOR'] },
  secondInstructor: { userId: '1a5e0000-0000-4000-8000-000000000003', roles: ['INSTRUCTOR'] },
  admin: { userId: 'ad010000-0000-4000-8000-000000000004', roles: ['ADMIN'] },
} satisfies Record<string, Viewer>;
