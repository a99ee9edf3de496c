import { join } from 'node:path';
import { readCommonConfig, readInt, readSecret, readString, type CommonConfig } from '@coursegraph/runtime';

export interface GatewayConfig extends CommonConfig {
  port: number;
  /** Verifies the users' access tokens. */
  jwtSecret: string;
  supergraphPath: string;
  /** Subgraph URLs by name, overriding the ones composed into the supergraph. */
  subgraphUrls: Record<string, string>;
  maxSubscriptionsPerConnection: number;
  /** Deepest selection nesting an operation may have. */
  maxQueryDepth: number;
  /** Highest estimated cost (objects 2, scalars 1, weighted by depth) an operation may have. */
  maxQueryCost: number;
  /** How often websocket clients are pinged; one that misses a ping is dropped. */
  keepAliveSeconds: number;
  /**
   * The client-facing time limit of one HTTP request, ms: all its subgraph
   * calls share it, and each is sent what is left (x-coursegraph-budget-ms).
   * Longer than the order saga's deadline plus compensation.
   */
  subgraphTimeoutMs: number;
}

export function readGatewayConfig(): GatewayConfig {
  return {
    ...readCommonConfig(),
    port: readInt('GATEWAY_PORT', 4000, 0, 65535),
    jwtSecret: readSecret('JWT_SECRET'),
    supergraphPath: readString('SUPERGRAPH_PATH', join(__dirname, '..', '..', 'schema', 'supergraph.graphql')),
    subgraphUrls: {
      accounts: readString('ACCOUNTS_SUBGRAPH_URL', 'http://127.0.0.1:4003/graphql'),
      course: readString('COURSE_SUBGRAPH_URL', 'http://127.0.0.1:4001/graphql'),
      order: readString('ORDER_SUBGRAPH_URL', 'http://127.0.0.1:4002/graphql'),
    },
    maxSubscriptionsPerConnection: readInt('MAX_SUBSCRIPTIONS_PER_CONNECTION', 20, 1, 1_000),
    maxQueryDepth: readInt('MAX_QUERY_DEPTH', 12, 2, 100),
    maxQueryCost: readInt('MAX_QUERY_COST', 5_000, 10),
    keepAliveSeconds: readInt('WS_KEEPALIVE_SECONDS', 12, 1, 3_600),
    subgraphTimeoutMs: readInt('SUBGRAPH_TIMEOUT_MS', 20_000, 100, 600_000),
  };
}
