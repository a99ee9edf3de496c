/**
 * The demo catalog of `npm start`: eight categories and 46 published courses
 * by six instructors (DEMO_USERS in @coursegraph/domain), each course in one
 * to three categories, priced in USD or EUR. Course `n` has the fixed id
 * `demoCourseId(n)`; numbers are never reused, so a database seeded by an
 * earlier version gets only the courses it lacks. The small courses (4, 8, 13,
 * 33, 38) have as many seats as scripts/demo-orders.ts sells of them, so all
 * but course 4 ("The Last Seat", left for the reader) end sold out.
 */
import type { DEMO_USERS, Money } from '@coursegraph/domain';

export interface DemoCategory {
  slug: string;
  name: string;
  description: string;
}

export interface DemoCourse {
  /** The course's number: its id is `demoCourseId(n)`. */
  n: number;
  title: string;
  description: string;
  /** The teaching demo account, by its key in DEMO_USERS. */
  instructor: keyof typeof DEMO_USERS;
  price: Money;
  capacity: number;
  /** Category slugs (DEMO_CATEGORIES). */
  categories: string[];
}

export const DEMO_CATEGORIES: DemoCategory[] = [
  { slug: 'web-development', name: 'Web Development', description: 'APIs, browsers and the servers behind them.' },
  { slug: 'databases', name: 'Databases', description: 'Modelling, querying and running relational databases.' },
  { slug: 'distributed-systems', name: 'Distributed Systems', description: 'Services that fail independently.' },
  { slug: 'programming-languages', name: 'Programming Languages', description: 'Languages, type systems and their idioms.' },
  { slug: 'software-architecture', name: 'Software Architecture', description: 'How systems are split and held together.' },
  { slug: 'cloud-devops', name: 'Cloud and DevOps', description: 'Deploying, observing and operating software.' },
  { slug: 'data-science', name: 'Data Science', description: 'Statistics and machine learning in practice.' },
  { slug: 'security', name: 'Security', description: 'Threats, defences and secure design.' },
];

export const DEMO_COURSES: DemoCourse[] = [
  {
    n: 1,
    title: 'GraphQL Federation from Zero',
    instructor: 'instructor',
    price: { amount: 4900, currency: 'USD' },
    capacity: 30,
    categories: ['web-development', 'distributed-systems', 'software-architecture'],
    description:
      'Split one GraphQL API into subgraphs that own their data, compose them into a supergraph and serve it through a gateway. You finish with three services, entities resolved across them and a query plan you can read.',
  },
  {
    n: 2,
    title: 'PostgreSQL Locking in Practice',
    instructor: 'instructor',
    price: { amount: 3900, currency: 'USD' },
    capacity: 20,
    categories: ['databases', 'distributed-systems'],
    description:
      'Row locks, table locks, advisory locks and the deadlocks between them, shown on a booking system under real concurrency. Learn which lock a statement takes, how long it waits and how to make it wait less.',
  },
  {
    n: 3,
    title: 'TypeScript for Backend Engineers',
    instructor: 'secondInstructor',
    price: { amount: 2900, currency: 'USD' },
    capacity: 50,
    categories: ['web-development', 'programming-languages'],
    description:
      'The parts of TypeScript that matter on a server: strict null checks, discriminated unions for errors, typed database rows and runtime validation at the edges. Every lesson refactors a small Node.js service.',
  },
  {
    n: 4,
    title: 'Designing Sagas: The Last Seat',
    instructor: 'secondInstructor',
    price: { amount: 9900, currency: 'USD' },
    capacity: 1,
    categories: ['databases', 'distributed-systems', 'software-architecture'],
    description:
      'One seat, many buyers and a network that fails at the worst moment. Design an order saga with compensations, idempotent steps and a reconciler so that nobody is charged for a seat they did not get.',
  },
  {
    n: 5,
    title: 'Query Plans: Reading EXPLAIN Without Fear',
    instructor: 'instructor',
    price: { amount: 5900, currency: 'USD' },
    capacity: 40,
    categories: ['databases'],
    description:
      'Read EXPLAIN ANALYZE output line by line: scans, joins, sorts and the estimates behind them. Each chapter starts from a slow query in a real schema and ends with the plan that fixed it.',
  },
  {
    n: 6,
    title: 'Indexing Strategies for PostgreSQL',
    instructor: 'instructor',
    price: { amount: 4500, currency: 'USD' },
    capacity: 35,
    categories: ['databases'],
    description:
      'B-tree, GIN, GiST and BRIN indexes, partial and covering indexes, and when an index makes things slower. Measure before and after with realistic data volumes.',
  },
  {
    n: 7,
    title: 'Event-Driven Systems with Outboxes',
    instructor: 'instructor',
    price: { amount: 7900, currency: 'USD' },
    capacity: 25,
    categories: ['distributed-systems', 'software-architecture'],
    description:
      'Publish events reliably with the transactional outbox, consume them idempotently and replay them safely. Covers ordering, duplicates and what to do when a consumer falls days behind.',
  },
  {
    n: 8,
    title: 'Idempotent APIs: Retries Done Right',
    instructor: 'instructor',
    price: { amount: 3500, currency: 'USD' },
    capacity: 4,
    categories: ['distributed-systems', 'web-development'],
    description:
      'Idempotency keys, retry budgets, exponential backoff with jitter and timeouts that nest. A small-group workshop: build a payment endpoint that a flaky client can call as often as it likes.',
  },
  {
    n: 9,
    title: 'Accessible React Components',
    instructor: 'secondInstructor',
    price: { amount: 3900, currency: 'USD' },
    capacity: 60,
    categories: ['web-development'],
    description:
      'Build menus, dialogs, tabs and forms that work with a keyboard and a screen reader. Test them with real assistive technology and automated checks, and learn the ARIA you actually need.',
  },
  {
    n: 10,
    title: 'React Server Components in Practice',
    instructor: 'secondInstructor',
    price: { amount: 4900, currency: 'EUR' },
    capacity: 45,
    categories: ['web-development'],
    description:
      'Move data fetching to the server without losing interactivity. Streaming, suspense boundaries, caching and the mistakes that make a page slower than before.',
  },
  {
    n: 11,
    title: 'CSS Layout: Grid and Flexbox Mastery',
    instructor: 'secondInstructor',
    price: { amount: 1900, currency: 'USD' },
    capacity: 80,
    categories: ['web-development'],
    description:
      'Lay out real pages with CSS Grid and Flexbox: responsive dashboards, article pages and card galleries, without a framework and without media query soup.',
  },
  {
    n: 12,
    title: 'Typed GraphQL Clients with Codegen',
    instructor: 'secondInstructor',
    price: { amount: 2900, currency: 'USD' },
    capacity: 30,
    categories: ['web-development', 'programming-languages'],
    description:
      'Generate typed documents from your operations, keep them in sync with the schema in CI and handle errors and partial data in a typed way on the client.',
  },
  {
    n: 13,
    title: 'Testing Frontends Without Flakiness',
    instructor: 'secondInstructor',
    price: { amount: 3400, currency: 'USD' },
    capacity: 3,
    categories: ['web-development'],
    description:
      'A mentored cohort of three: component tests, end-to-end tests and visual checks that fail only when something is broken. Bring your own flaky suite and leave with a stable one.',
  },
  {
    n: 14,
    title: 'Python for Data Analysis',
    instructor: 'dataInstructor',
    price: { amount: 3900, currency: 'USD' },
    capacity: 100,
    categories: ['data-science', 'programming-languages'],
    description:
      'Load, clean, join and summarise data with pandas, then chart it. Built on public transport and weather data sets, with exercises that look like the questions your manager asks.',
  },
  {
    n: 15,
    title: 'Statistics for Product Decisions',
    instructor: 'dataInstructor',
    price: { amount: 4400, currency: 'USD' },
    capacity: 50,
    categories: ['data-science'],
    description:
      'Confidence intervals, A/B tests, sample sizes and the traps of peeking at results early. Learn to say how sure you are, and when an experiment cannot answer the question.',
  },
  {
    n: 16,
    title: 'Machine Learning Foundations',
    instructor: 'dataInstructor',
    price: { amount: 8900, currency: 'USD' },
    capacity: 40,
    categories: ['data-science'],
    description:
      'Linear models, decision trees, gradient boosting and the validation that keeps them honest. Train, compare and explain models with scikit-learn on tabular data.',
  },
  {
    n: 17,
    title: 'Feature Engineering That Generalises',
    instructor: 'dataInstructor',
    price: { amount: 5900, currency: 'EUR' },
    capacity: 30,
    categories: ['data-science'],
    description:
      'Turn raw events into features a model can use without leaking the future into the past. Covers time windows, categorical encodings, missing values and feature stores.',
  },
  {
    n: 18,
    title: 'Time Series Forecasting',
    instructor: 'dataInstructor',
    price: { amount: 6900, currency: 'USD' },
    capacity: 25,
    categories: ['data-science'],
    description:
      'Forecast demand with seasonal baselines, exponential smoothing and gradient-boosted models, and backtest them properly before anyone plans a budget on the numbers.',
  },
  {
    n: 19,
    title: 'SQL for Analysts',
    instructor: 'dataInstructor',
    price: { amount: 2900, currency: 'USD' },
    capacity: 70,
    categories: ['databases', 'data-science'],
    description:
      'Window functions, common table expressions, cohorts and funnels in plain SQL. Write queries that answer business questions and that a colleague can still read next month.',
  },
  {
    n: 20,
    title: 'Model Evaluation and Monitoring',
    instructor: 'dataInstructor',
    price: { amount: 5400, currency: 'USD' },
    capacity: 30,
    categories: ['data-science', 'cloud-devops'],
    description:
      'Choose metrics that match the decision, watch for drift after deployment and decide when to retrain. Includes dashboards and alerts for models in production.',
  },
  {
    n: 21,
    title: 'Kubernetes in Production',
    instructor: 'cloudInstructor',
    price: { amount: 9900, currency: 'USD' },
    capacity: 40,
    categories: ['cloud-devops', 'distributed-systems'],
    description:
      'Run real workloads on Kubernetes: deployments, probes, resource limits, autoscaling, network policies and upgrades without downtime. Every module ends with a broken cluster to fix.',
  },
  {
    n: 22,
    title: 'Terraform from First Principles',
    instructor: 'cloudInstructor',
    price: { amount: 4900, currency: 'USD' },
    capacity: 40,
    categories: ['cloud-devops'],
    description: 'Describe infrastructure as code, structure modules, manage state safely in a team and review plans before they touch production.',
  },
  {
    n: 23,
    title: 'Observability with OpenTelemetry',
    instructor: 'cloudInstructor',
    price: { amount: 5900, currency: 'USD' },
    capacity: 35,
    categories: ['cloud-devops', 'distributed-systems'],
    description:
      'Traces, metrics and logs that answer the question asked during an incident. Instrument services, propagate context across queues and build dashboards people use.',
  },
  {
    n: 24,
    title: 'Incident Response for On-Call Engineers',
    instructor: 'cloudInstructor',
    price: { amount: 3900, currency: 'EUR' },
    capacity: 30,
    categories: ['cloud-devops', 'security'],
    description:
      'What to do in the first fifteen minutes, how to communicate during an outage and how to write a blameless review that leads to real fixes.',
  },
  {
    n: 25,
    title: 'CI/CD Pipelines That Ship Daily',
    instructor: 'cloudInstructor',
    price: { amount: 3400, currency: 'USD' },
    capacity: 50,
    categories: ['cloud-devops', 'software-architecture'],
    description:
      'Fast pipelines with caching, parallel tests, preview environments and safe rollouts with feature flags, so that deploying is boring again.',
  },
  {
    n: 26,
    title: 'Linux for Developers',
    instructor: 'cloudInstructor',
    price: { amount: 1900, currency: 'USD' },
    capacity: 120,
    categories: ['cloud-devops'],
    description:
      'Processes, signals, file descriptors, permissions and the shell tools that make a server understandable. Aimed at developers who deploy but never had to debug a box.',
  },
  {
    n: 27,
    title: 'Cloud Cost Engineering',
    instructor: 'cloudInstructor',
    price: { amount: 4400, currency: 'USD' },
    capacity: 20,
    categories: ['cloud-devops'],
    description:
      'Find where the money goes, tag and allocate costs, right-size workloads and design architectures whose bill grows slower than their traffic.',
  },
  {
    n: 28,
    title: 'Web Application Security Essentials',
    instructor: 'securityInstructor',
    price: { amount: 5900, currency: 'USD' },
    capacity: 60,
    categories: ['security', 'web-development'],
    description:
      'Injection, cross-site scripting, request forgery, broken access control and server-side request forgery: exploit each in a lab application, then fix it for good.',
  },
  {
    n: 29,
    title: 'Threat Modelling for Engineering Teams',
    instructor: 'securityInstructor',
    price: { amount: 4900, currency: 'USD' },
    capacity: 25,
    categories: ['security', 'software-architecture'],
    description:
      'Draw data flows, find what can go wrong with STRIDE and decide what to fix first. Run a threat modelling session with your own team by the end of the course.',
  },
  {
    n: 30,
    title: 'OAuth 2 and OpenID Connect Explained',
    instructor: 'securityInstructor',
    price: { amount: 4400, currency: 'USD' },
    capacity: 40,
    categories: ['security', 'web-development'],
    description:
      'Authorization code flow with PKCE, refresh token rotation, scopes and the mistakes that leak tokens. Build a client and a resource server and attack them both.',
  },
  {
    n: 31,
    title: 'Secure Code Review',
    instructor: 'securityInstructor',
    price: { amount: 6900, currency: 'EUR' },
    capacity: 20,
    categories: ['security', 'programming-languages'],
    description: 'Review real pull requests for security flaws: what to look for, which tools help and how to write findings that developers act on.',
  },
  {
    n: 32,
    title: 'Cryptography for Developers',
    instructor: 'securityInstructor',
    price: { amount: 5400, currency: 'USD' },
    capacity: 30,
    categories: ['security'],
    description:
      'Hashing, password storage, symmetric and public-key encryption, signatures and key rotation, with the library calls to use and the ones to avoid.',
  },
  {
    n: 33,
    title: 'Secrets Management in the Cloud',
    instructor: 'securityInstructor',
    price: { amount: 2900, currency: 'USD' },
    capacity: 2,
    categories: ['security', 'cloud-devops'],
    description: 'A two-person lab: move secrets out of code and environment files into a vault, rotate them automatically and audit who read what.',
  },
  {
    n: 34,
    title: 'Rust for Systems Programmers',
    instructor: 'languagesInstructor',
    price: { amount: 7900, currency: 'USD' },
    capacity: 40,
    categories: ['programming-languages'],
    description:
      'Ownership, borrowing, lifetimes and traits, learned by writing a command-line tool and a small network server. Explains the compiler errors instead of fighting them.',
  },
  {
    n: 35,
    title: 'Concurrency in Go',
    instructor: 'languagesInstructor',
    price: { amount: 5900, currency: 'USD' },
    capacity: 45,
    categories: ['programming-languages', 'distributed-systems'],
    description:
      'Goroutines, channels, contexts and the sync package, with the race detector switched on. Build a worker pool, a rate limiter and a graceful shutdown.',
  },
  {
    n: 36,
    title: 'Domain-Driven Design Distilled',
    instructor: 'languagesInstructor',
    price: { amount: 6400, currency: 'USD' },
    capacity: 35,
    categories: ['software-architecture'],
    description:
      'Bounded contexts, aggregates and a ubiquitous language, applied to a marketplace. Learn where the boundaries go and which patterns you can leave out.',
  },
  {
    n: 37,
    title: 'Clean Architecture Without Dogma',
    instructor: 'languagesInstructor',
    price: { amount: 4400, currency: 'EUR' },
    capacity: 40,
    categories: ['software-architecture'],
    description:
      'Ports and adapters, dependency rules and testable cores, weighed against the cost of every extra layer. Refactor a tangled service step by step.',
  },
  {
    n: 38,
    title: 'Writing a Compiler in a Weekend',
    instructor: 'languagesInstructor',
    price: { amount: 3900, currency: 'USD' },
    capacity: 5,
    categories: ['programming-languages'],
    description:
      'A five-seat live workshop: lexer, parser, type checker and code generation for a small language, from an empty folder to a running program.',
  },
  {
    n: 39,
    title: 'Functional Programming in TypeScript',
    instructor: 'languagesInstructor',
    price: { amount: 3400, currency: 'USD' },
    capacity: 50,
    categories: ['programming-languages', 'web-development'],
    description: 'Pure functions, immutable data, algebraic data types and pipelines in everyday TypeScript, without a category theory textbook.',
  },
  {
    n: 40,
    title: 'Designing Data-Intensive APIs',
    instructor: 'instructor',
    price: { amount: 6900, currency: 'USD' },
    capacity: 30,
    categories: ['databases', 'software-architecture', 'web-development'],
    description:
      'Pagination that stays stable, filters that use indexes, consistent reads and writes that survive retries. Design the API and the schema under it together.',
  },
  {
    n: 41,
    title: 'Database Migrations Without Downtime',
    instructor: 'instructor',
    price: { amount: 4900, currency: 'USD' },
    capacity: 25,
    categories: ['databases', 'cloud-devops'],
    description:
      'Expand and contract, backfills in batches, locks to avoid and rollbacks that work. Change a busy schema while the application keeps serving.',
  },
  {
    n: 42,
    title: 'Caching Patterns: Redis and Beyond',
    instructor: 'languagesInstructor',
    price: { amount: 3900, currency: 'USD' },
    capacity: 40,
    categories: ['databases', 'distributed-systems'],
    description:
      'Cache-aside, write-through, expiry and invalidation, stampedes and hot keys. Decide what to cache and prove that it is still correct.',
  },
  {
    n: 43,
    title: 'WebSockets and Real-Time Interfaces',
    instructor: 'secondInstructor',
    price: { amount: 3900, currency: 'EUR' },
    capacity: 40,
    categories: ['web-development', 'distributed-systems'],
    description:
      'Live updates with WebSockets and GraphQL subscriptions: reconnection, backpressure, authentication and interfaces that stay honest when the connection drops.',
  },
  {
    n: 44,
    title: 'Architecture Katas: Practice Designing Systems',
    instructor: 'languagesInstructor',
    price: { amount: 2400, currency: 'USD' },
    capacity: 60,
    categories: ['software-architecture'],
    description:
      'Short design exercises done in small groups: a ride-sharing app, a ticket shop, a news feed. Compare trade-offs and learn to explain a design on one page.',
  },
  {
    n: 45,
    title: 'Natural Language Processing with Transformers',
    instructor: 'dataInstructor',
    price: { amount: 9400, currency: 'USD' },
    capacity: 30,
    categories: ['data-science'],
    description:
      'Tokenisers, embeddings, fine-tuning and evaluation of transformer models for classification and search, with attention to cost and bias.',
  },
  {
    n: 46,
    title: 'Zero Trust Networking',
    instructor: 'securityInstructor',
    price: { amount: 5900, currency: 'USD' },
    capacity: 25,
    categories: ['security', 'cloud-devops'],
    description:
      'Identity-aware proxies, mutual TLS, short-lived credentials and network policies: replace the trusted internal network with checks on every request.',
  },
];
