// Tests provoke errors on purpose; keep the services' logs to real problems unless asked.
process.env.LOG_LEVEL ??= 'silent';
// Tests that read log lines parse them as JSON, also when run in a terminal (runtime log.ts).
process.env.LOG_FORMAT ??= 'json';

// No test may reach off this machine (packages/devkit/src/egress.ts).
import './egress';
