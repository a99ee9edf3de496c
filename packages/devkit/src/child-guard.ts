/**
 * Preloaded into every service process packages/devkit/src/processes.ts starts
 * (`node --import tsx --import <this file> <entry>`): when the IPC channel to
 * the parent closes (the parent exited or was killed without stopping its
 * children), the service stops itself with SIGTERM, its own clean stop, which
 * exits within 10 s at the latest.
 */
if (process.send) process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));

export {};
