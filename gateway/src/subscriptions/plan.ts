/**
 * Running a subscription's query plan. @apollo/gateway plans subscriptions
 * but will not execute them, so this module runs the plan itself. The query
 * planner splits a subscription into a `primary` fetch (the subscription on
 * the subgraph that owns the root field) and a `rest` plan (entity fetches
 * for fields of other subgraphs). The primary runs as a graphql-ws
 * subscription on that subgraph (a topic, topic.ts); each event it yields is
 * fed to @apollo/gateway's own executeQueryPlan, through a one-node "event"
 * fetch followed by `rest`, so every event is completed and shaped exactly as
 * a query would be.
 *
 * Every credential a subscription carries is signed when it is used: the
 * identity of each event's entity fetches and of each upstream (re)subscribe.
 * The upstream subscribe also carries the request id of the subscription
 * that is planned (REQUEST_ID_HEADER in its `extensions`), as the subgraph's
 * HTTP calls carry it in a header.
 */
import type { ExecutionArgs, GraphQLFormattedError, GraphQLSchema } from 'graphql';
import { operationFromDocument, type Schema, type Supergraph } from '@apollo/federation-internals';
import { QueryPlanner, type FetchNode, type QueryPlan } from '@apollo/query-planner';
import { buildOperationContext, executeQueryPlan, type ServiceMap } from '@apollo/gateway';
import type { GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import { currentRequestId, IDENTITY_HEADER, REQUEST_ID_HEADER, type Viewer } from '@coursegraph/runtime';
import type { GatewayContext } from '../auth';
import type { Result } from './delivery';
import type { UpstreamPayload } from './topic';
import { withVersioning, type Versioning } from './versioning';

const EVENT_SERVICE = '__subscription_event__';

/** What a topic needs to run one subscription. */
export interface SubscriptionPlan {
  /** The subgraph whose subscription yields the events (the plan's `primary`). */
  serviceName: string;
  payload: UpstreamPayload;
  versioning: Versioning | null;
  /** Completes an upstream event with the rest of the plan; the result is formatted (masked) already. */
  complete: (event: Result) => Promise<Result>;
}

export interface PlannerOptions {
  supergraph: Supergraph;
  /** The client-facing schema, as @apollo/gateway and as graphql-js see it. */
  apiSchema: Schema;
  apiSchemaJs: GraphQLSchema;
  /** The gateway's data sources, for the entity fetches of `rest`. */
  serviceMap: ServiceMap;
  /** Signs an identity assertion for subgraphs, at every use. */
  signIdentity: (viewer: Viewer | null) => string;
  /** Masks an error of the plan's execution as over HTTP. */
  mask: (error: unknown) => GraphQLFormattedError;
}

/** Plans subscriptions that `onSubscribe` prepared, as described above. */
export function createPlanner(options: PlannerOptions) {
  const { apiSchema, apiSchemaJs, mask } = options;
  const planner = new QueryPlanner(options.supergraph);
  const supergraphSchemaJs = options.supergraph.schema.toGraphQLJSSchema();

  return function plan(args: ExecutionArgs, context: GatewayContext, variables: Record<string, unknown>): SubscriptionPlan {
    const operationName = args.operationName ?? undefined;
    const queryPlan = planner.buildQueryPlan(operationFromDocument(apiSchema, args.document, { operationName }));
    // onSubscribe lets subscriptions only through.
    if (queryPlan.node?.kind !== 'Subscription') throw new Error(`expected a subscription plan, got ${queryPlan.node?.kind}`);
    const { primary, rest } = queryPlan.node;
    const eventFetch: FetchNode = { ...primary, serviceName: EVENT_SERVICE };
    const eventPlan: QueryPlan = { kind: 'QueryPlan', node: rest ? { kind: 'Sequence', nodes: [eventFetch, rest] } : eventFetch };
    const operationContext = buildOperationContext({ schema: apiSchemaJs, operationDocument: args.document, operationName });
    const { viewer } = context;
    // Anonymous subscribers carry the gateway's anonymous assertion: subgraphs in production answer nobody else.
    const identity = () => options.signIdentity(viewer);
    const { query, versioning } = withVersioning(primary.operation, apiSchemaJs);
    const requestId = currentRequestId();
    const payload: UpstreamPayload = {
      query,
      variables: Object.fromEntries((primary.variableUsages ?? []).map((name) => [name, variables[name]])),
      operationName: primary.operationName,
      // graphql-ws re-sends this same payload after every reconnect; a getter signs a fresh identity each time.
      get extensions() {
        return { [IDENTITY_HEADER]: identity(), ...(requestId ? { [REQUEST_ID_HEADER]: requestId } : {}) };
      },
    };
    const complete = async (event: Result): Promise<Result> => {
      const requestContext = {
        request: { variables, operationName },
        // The entity fetches of each event carry an identity signed for them.
        context: { ...context, identity: identity() } satisfies GatewayContext,
        metrics: {},
        logger: undefined,
      } as unknown as GatewayGraphQLRequestContext;
      const serviceMap: ServiceMap = { ...options.serviceMap, [EVENT_SERVICE]: { process: async () => event } as never };
      const result = await executeQueryPlan(eventPlan, serviceMap, requestContext, operationContext, supergraphSchemaJs, apiSchema);
      // A fetch that failed outright (a subgraph down) is a plain Error here, not a GraphQLError: masked as Apollo
      // Server masks it over HTTP, so an outage is SERVICE_UNAVAILABLE here too rather than a crash of this event.
      const errors = (result.errors as unknown[] | undefined)?.map(mask);
      return { data: result.data, ...(errors ? { errors } : {}) };
    };
    return { serviceName: primary.serviceName, payload, versioning, complete };
  };
}
