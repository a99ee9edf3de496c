// Tests provoke errors on purpose; keep the services' logs to real problems unless asked.
process.env.LOG_LEVEL ??= 'silent';
