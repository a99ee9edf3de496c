import http from 'node:http';
import { readFileSync } from 'node:fs';
import express from 'express';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageLocalDefault, ApolloServerPluginLandingPageProductionDefault } from '@apollo/server/plugin/landingPage/default';
import { ApolloGateway } from '@apollo/gateway';
import {
  createHttpApp,
  createLogger,
  formatError,
  listen,
  mountGraphQL,
  ServiceMetrics,
  signIdentity,
  type RunningServer,
} from '@coursegraph/runtime';
import type { GatewayConfig } from './config';
import { authenticate, IdentityDataSource, type GatewayContext } from './auth';
import { createSubgraphFetcher } from './fetcher';
import { attachSubscriptions } from './subscriptions';
import { clientAddressOf } from './client-address';
import { corsMiddleware, websocketOriginCheck } from './cors';
import { createOperationLimits, persistedQueryGuard, subscriptionRootGuard, withClientValidationCodes } from './limits';

/** How much longer than SUBGRAPH_TIMEOUT_MS a socket may go with nothing moving while a request is open. */
const SOCKET_TIMEOUT_MARGIN_MS = 10_000;

/**
 * Starts the gateway on the static supergraph: queries and mutations over HTTP,
 * subscriptions over graphql-ws on the same URL, and the Sandbox landing page
 * outside production.
 */
export async function startGateway(config: GatewayConfig): Promise<RunningServer> {
  const log = createLogger('gateway');
  const supergraphSdl = readFileSync(config.supergraphPath, 'utf8');
  const { fetcher, close: closeFetcher } = createSubgraphFetcher(config.subgraphTimeoutMs, config.maxSubgraphResponseBytes);
  const serviceMap = Object.fromEntries(
    Object.entries(config.subgraphUrls).map(([name, url]) => [
      name,
      // Accounts rate-limits login and register by client address.
      new IdentityDataSource({ url, fetcher, sendClientAddress: name === 'accounts' }),
    ]),
  );
  // @apollo/gateway otherwise exports usage metrics to Apollo and, at start, probes the AWS, GCP,
  // Azure and Alibaba cloud metadata endpoints (169.254.169.254 ...): coursegraph sends nothing off
  // its own machines unless the operator opts in (APOLLO_TELEMETRY_DISABLED=false, .env.example).
  process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name }) => {
      const service = serviceMap[name];
      if (!service) throw new Error(`no URL configured for subgraph ${name}`);
      return service;
    },
  });
  const checks = Object.entries(config.subgraphUrls).map(([name, url]) => ({
    name,
    check: async () => {
      const response = await fetch(new URL('/ready', url), { signal: AbortSignal.timeout(1_500) });
      if (!response.ok) throw new Error(`${name} answered ${response.status}`);
    },
  }));
  const metrics = new ServiceMetrics('gateway', config.metrics);
  const app = createHttpApp('gateway', checks, () => ({ subscriptions: subscriptions.stats() }), metrics);
  const httpServer = http.createServer(app);
  const clientAddress = clientAddressOf(config.trustProxy);
  const limits = createOperationLimits({
    maxDepth: config.maxQueryDepth,
    maxCost: config.maxQueryCost,
    maxAliases: config.maxQueryAliases,
    maxDirectives: config.maxQueryDirectives,
    maxTokens: config.maxQueryTokens,
    hideSuggestions: config.production,
  });
  const subscriptions = attachSubscriptions(httpServer, {
    parseOptions: limits.parseOptions,
    checkOperation: limits.checkOperation,
    supergraphSdl,
    serviceMap,
    subgraphUrls: config.subgraphUrls,
    authenticate: (authorization) => authenticate(authorization, config),
    clientAddress,
    acceptUpgrade: websocketOriginCheck(config.corsOrigins),
    signIdentity: (viewer) => signIdentity(config.subgraphSecret, viewer, config.wsIdentityTtlSeconds),
    limits: {
      maxMessageBytes: config.wsMaxMessageBytes,
      maxConnections: config.wsMaxConnections,
      maxConnectionsPerAddress: config.wsMaxConnectionsPerAddress,
      connectionInitTimeoutMs: config.wsConnectionInitTimeoutMs,
      maxSubscriptionsPerConnection: config.maxSubscriptionsPerConnection,
      keepAliveMs: config.keepAliveSeconds * 1000,
    },
    log,
  });
  metrics.observeWebSockets(() => subscriptions.stats().connections);
  metrics.observeSubscriptions(() => subscriptions.activeSubscriptions());
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    formatError: withClientValidationCodes(formatError(log)),
    includeStacktraceInErrorResponses: false,
    validationRules: limits.validationRules,
    parseOptions: limits.parseOptions,
    // A misspelt name gets no "Did you mean ...?" in production, even where SANDBOX opens introspection.
    hideSchemaDetailsFromClientErrors: config.production,
    // runService owns signal handling and stops the server in order.
    stopOnTerminationSignals: false,
    introspection: config.sandbox,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      metrics.graphqlPlugin(),
      limits.plugin,
      { serverWillStart: async () => ({ drainServer: () => subscriptions.dispose() }) },
      config.sandbox ? ApolloServerPluginLandingPageLocalDefault({ embed: true }) : ApolloServerPluginLandingPageProductionDefault(),
    ],
  });
  await apollo.start();
  // Before the body parser, so its refusals (malformed JSON, too large) carry CORS headers too.
  app.use('/graphql', corsMiddleware(config.corsOrigins));
  mountGraphQL(
    app,
    express.Router().use(
      persistedQueryGuard,
      subscriptionRootGuard(limits.parseOptions),
      expressMiddleware(apollo, {
        context: async ({ req }) => ({
          ...authenticate(req.headers.authorization, config, clientAddress(req)),
          deadline: Date.now() + config.subgraphTimeoutMs,
        }),
      }),
    ),
    config.maxBodyBytes,
    log,
  );
  const { url, port } = await listen(httpServer, config.port, config.host, {
    headersTimeoutMs: config.headersTimeoutMs,
    requestTimeoutMs: config.requestTimeoutMs,
    // A request may wait its whole SUBGRAPH_TIMEOUT_MS with no byte moving; only a socket still stalled after that is cut.
    socketTimeoutMs: config.subgraphTimeoutMs + SOCKET_TIMEOUT_MARGIN_MS,
    maxConnections: config.maxConnections,
    maxConnectionsPerAddress: config.maxConnectionsPerAddress,
  });
  let stopped: Promise<void> | null = null;
  return {
    url,
    port,
    stop() {
      stopped ??= apollo.stop().then(closeFetcher);
      return stopped;
    },
  };
}
