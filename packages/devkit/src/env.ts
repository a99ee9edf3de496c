// Tests provoke errors on purpose; keep the services' logs to real problems unless asked.
process.env.LOG_LEVEL ??= 'silent';

// No test may reach off this machine (packages/devkit/src/egress.ts).
import './egress';
