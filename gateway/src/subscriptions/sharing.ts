/**
 * Which clients share a topic. Clients asking the same operation with the
 * same variables as the same viewer share one upstream subscription and one
 * plan execution per event (a topic, topic.ts). The topics on one subgraph
 * run on one graphql-ws client, which resubscribes them after every
 * reconnect.
 */
import WebSocket from 'ws';
import { print, type ExecutionArgs, type GraphQLFormattedError } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import type { Logger } from '@coursegraph/runtime';
import type { GatewayContext } from '../auth';
import type { Subscriber } from './delivery';
import type { SubscriptionPlan } from './plan';
import { Topic } from './topic';

export interface TopicsOptions {
  /** Plans a subscription that `onSubscribe` prepared (plan.ts). */
  plan: (args: ExecutionArgs, context: GatewayContext, variables: Record<string, unknown>) => SubscriptionPlan;
  /** Subgraph HTTP URLs by name; their websockets are on the same URLs. */
  subgraphUrls: Record<string, string>;
  /** Ping interval of the upstream connections. */
  keepAliveMs: number;
  /** Masks an error an upstream sent (formatted already) as over HTTP. */
  maskFormatted: (error: GraphQLFormattedError) => GraphQLFormattedError;
  log: Logger;
}

export interface Topics {
  /** Joins a subscription that `onSubscribe` prepared to the open topic with its key, or to a new one. */
  subscribe(args: ExecutionArgs, subscriber: Subscriber): void;
  /** Topics open now: one upstream subscription each. */
  size(): number;
  /** Closes the upstream connections. */
  dispose(): Promise<void>;
}

export function createTopics(options: TopicsOptions): Topics {
  const topics = new Map<string, Topic>();
  const upstreams = new Map<string, Client>();

  function upstream(serviceName: string): Client {
    let client = upstreams.get(serviceName);
    if (!client) {
      const url = options.subgraphUrls[serviceName];
      if (!url) throw new Error(`no URL for subgraph ${serviceName}`);
      client = createClient({
        url: url.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        lazy: true,
        lazyCloseTimeout: 1_000,
        keepAlive: options.keepAliveMs,
        retryAttempts: Infinity,
        shouldRetry: () => true,
      });
      upstreams.set(serviceName, client);
    }
    return client;
  }

  function createTopic(args: ExecutionArgs, context: GatewayContext, variables: Record<string, unknown>, key: string): Topic {
    const { serviceName, payload, versioning, complete } = options.plan(args, context, variables);
    const created: Topic = new Topic(
      upstream(serviceName),
      payload,
      versioning,
      complete,
      options.maskFormatted,
      () => {
        if (topics.get(key) === created) topics.delete(key);
      },
      options.log,
    );
    return created;
  }

  function subscribe(args: ExecutionArgs, subscriber: Subscriber): void {
    const context = args.contextValue as GatewayContext;
    // Coerced by onSubscribe: only the operation's own variables, so unused ones neither split topics nor travel upstream.
    const variables = (args.variableValues ?? {}) as Record<string, unknown>;
    const key = JSON.stringify([print(args.document), args.operationName, variables, context.viewer]);
    let topic = topics.get(key);
    if (!topic || topic.ended) {
      topic = createTopic(args, context, variables, key);
      topics.set(key, topic);
    }
    topic.join(subscriber);
  }

  return {
    subscribe,
    size: () => topics.size,
    async dispose() {
      // dispose() rethrows how the client's last connection closed (1000 once its last subscription left): nothing to act on.
      await Promise.all([...upstreams.values()].map((client) => Promise.resolve(client.dispose()).catch(() => undefined)));
    },
  };
}
