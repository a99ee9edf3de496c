/**
 * The one way a subgraph is served: Apollo Server on express with the
 * subgraph schema, the caller's identity read from gateway-signed headers,
 * masked errors, /health and /ready.
 */
import http from 'node:http';
import { readFileSync } from 'node:fs';
import express from 'express';
import { parse } from 'graphql';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { createHttpApp, listen, mountGraphQL, type HealthCheck, type RunningServer } from './http';
import { IDENTITY_HEADER, SERVICE_HEADER, verifyIdentity, verifyServiceCredential, type Viewer } from './identity';
import { formatError, unauthenticated } from './errors';
import type { CommonConfig } from './config';
import type { Logger } from './log';

/** Who is calling a subgraph: a user (through the gateway), a service, or nobody. */
export interface Caller {
  viewer: Viewer | null;
  service: string | null;
}

export interface SubgraphDefinition<TContext extends object> {
  name: string;
  /** Path of the subgraph's schema.graphql. */
  schemaPath: string;
  resolvers: GraphQLResolverMap<TContext>;
  /** Builds the per-request context (loaders and the like) for a caller. */
  context: (caller: Caller) => TContext;
  checks: HealthCheck[];
  /** Releases what the subgraph holds (database, timers) after HTTP has drained. */
  onStop: () => Promise<void>;
  log: Logger;
}

export interface ListenOptions extends Pick<CommonConfig, 'host' | 'subgraphSecret' | 'serviceSecret'> {
  port: number;
}

function header(req: express.Request, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function readCaller(req: express.Request, secrets: Pick<CommonConfig, 'subgraphSecret' | 'serviceSecret'>): Caller {
  const identity = header(req, IDENTITY_HEADER);
  const service = header(req, SERVICE_HEADER);
  try {
    return {
      viewer: identity ? verifyIdentity(secrets.subgraphSecret, identity) : null,
      service: service ? verifyServiceCredential(secrets.serviceSecret, service) : null,
    };
  } catch {
    throw unauthenticated('The identity sent with this request is not valid.');
  }
}

export async function startSubgraph<TContext extends object>(
  definition: SubgraphDefinition<TContext>,
  options: ListenOptions,
): Promise<RunningServer> {
  const typeDefs = parse(readFileSync(definition.schemaPath, 'utf8'));
  const app = createHttpApp(definition.name, definition.checks);
  const httpServer = http.createServer(app);
  const apollo = new ApolloServer<TContext & { caller: Caller }>({
    schema: buildSubgraphSchema({ typeDefs, resolvers: definition.resolvers as GraphQLResolverMap<unknown> }),
    formatError: formatError(definition.log),
    includeStacktraceInErrorResponses: false,
    // runService owns signal handling and stops the server in order.
    stopOnTerminationSignals: false,
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginInlineTraceDisabled()],
  });
  await apollo.start();
  mountGraphQL(
    app,
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const caller = readCaller(req, options);
        return { ...definition.context(caller), caller };
      },
    }),
  );
  const { url, port } = await listen(httpServer, options.port, options.host);
  return {
    url,
    port,
    async stop() {
      await apollo.stop();
      await definition.onStop();
    },
  };
}
