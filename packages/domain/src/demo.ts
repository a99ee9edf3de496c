/**
 * Fixed demo accounts for `npm start`, so demo data, printed credentials and
 * tokens agree across runs. Development only: the passwords are public.
 * `student`, `instructor` and `admin` are printed by `npm start`; the other
 * instructors teach part of the demo catalog, and the `buyer*` students place
 * the demo orders (scripts/demo-orders.ts), so `student` starts with none.
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
  dataInstructor: {
    userId: '1a5e0000-0000-4000-8000-000000000005',
    roles: ['INSTRUCTOR'],
    email: 'priya@demo.coursegraph.dev',
    displayName: 'Priya Raman',
    password: 'demo-priya-password',
    headline: 'Data scientist turning messy spreadsheets into models people trust',
    bio: 'Priya led analytics teams at a logistics company and a public health agency.\n\nShe teaches statistics, Python and machine learning with real data sets, and spends as much time on checking a model as on building it.',
    website: 'https://priya.demo.coursegraph.dev',
  },
  cloudInstructor: {
    userId: '1a5e0000-0000-4000-8000-000000000006',
    roles: ['INSTRUCTOR'],
    email: 'marcus@demo.coursegraph.dev',
    displayName: 'Marcus Okafor',
    password: 'demo-marcus-password',
    headline: 'Site reliability engineer: Kubernetes, Terraform and calm on-call rotations',
    bio: 'Marcus has run production clusters for a streaming service and a bank.\n\nHis courses cover deploying, observing and operating software, with runbooks you can take back to work.',
    website: 'https://marcus.demo.coursegraph.dev/talks',
  },
  securityInstructor: {
    userId: '1a5e0000-0000-4000-8000-000000000007',
    roles: ['INSTRUCTOR'],
    email: 'lena@demo.coursegraph.dev',
    displayName: 'Lena Vogel',
    password: 'demo-lena-password',
    headline: 'Application security consultant and former penetration tester',
    bio: 'Lena has broken into web applications for a living and now helps teams build ones that hold.\n\nShe teaches threat modelling, secure coding and incident response from cases she has seen.',
    website: 'https://lena.demo.coursegraph.dev',
  },
  languagesInstructor: {
    userId: '1a5e0000-0000-4000-8000-000000000008',
    roles: ['INSTRUCTOR'],
    email: 'kenji@demo.coursegraph.dev',
    displayName: 'Kenji Watanabe',
    password: 'demo-kenji-password',
    headline: 'Systems programmer writing Rust and Go, and teaching how to design with them',
    bio: 'Kenji works on compilers and network services.\n\nHe teaches programming languages and software architecture through code reviews of real projects, one decision at a time.',
    website: 'https://kenji.demo.coursegraph.dev/notes',
  },
  buyerMaya: {
    userId: '5a1d0000-0000-4000-8000-000000000101',
    roles: ['STUDENT'],
    email: 'maya@demo.coursegraph.dev',
    displayName: 'Maya Patel',
    password: 'demo-maya-password',
  },
  buyerJonas: {
    userId: '5a1d0000-0000-4000-8000-000000000102',
    roles: ['STUDENT'],
    email: 'jonas@demo.coursegraph.dev',
    displayName: 'Jonas Berg',
    password: 'demo-jonas-password',
  },
  buyerChloe: {
    userId: '5a1d0000-0000-4000-8000-000000000103',
    roles: ['STUDENT'],
    email: 'chloe@demo.coursegraph.dev',
    displayName: 'Chloe Martin',
    password: 'demo-chloe-password',
  },
  buyerDiego: {
    userId: '5a1d0000-0000-4000-8000-000000000104',
    roles: ['STUDENT'],
    email: 'diego@demo.coursegraph.dev',
    displayName: 'Diego Alvarez',
    password: 'demo-diego-password',
  },
  buyerAisha: {
    userId: '5a1d0000-0000-4000-8000-000000000105',
    roles: ['STUDENT'],
    email: 'aisha@demo.coursegraph.dev',
    displayName: 'Aisha Bello',
    password: 'demo-aisha-password',
  },
  buyerTom: {
    userId: '5a1d0000-0000-4000-8000-000000000106',
    roles: ['STUDENT'],
    email: 'tom@demo.coursegraph.dev',
    displayName: 'Tom Novak',
    password: 'demo-tom-password',
  },
  buyerYuki: {
    userId: '5a1d0000-0000-4000-8000-000000000107',
    roles: ['STUDENT'],
    email: 'yuki@demo.coursegraph.dev',
    displayName: 'Yuki Sato',
    password: 'demo-yuki-password',
  },
  buyerOlivia: {
    userId: '5a1d0000-0000-4000-8000-000000000108',
    roles: ['STUDENT'],
    email: 'olivia@demo.coursegraph.dev',
    displayName: 'Olivia Brown',
    password: 'demo-olivia-password',
  },
} satisfies Record<string, DemoAccount>;

/** The fixed id of demo course `n` (1, 2, ...), shared by the course seed and the demo orders. */
export const demoCourseId = (n: number): string => `c0c0${String(n).padStart(4, '0')}-0000-4000-8000-000000000000`;
