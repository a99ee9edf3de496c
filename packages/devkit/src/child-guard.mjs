/**
 * Preloaded into every service process packages/devkit/src/processes.ts starts
 * (`node --import <this file> ...`): when the IPC channel to the parent closes
 * (the parent exited or was killed without stopping its children), the
 * service stops itself with SIGTERM, its own clean stop, which exits within
 * 10 s at the latest. Plain JavaScript, so that it also loads into services
 * run from their built output, without TypeScript tooling.
 */
if (process.send) process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
