/**
 * Versioned streams: the version and key of each upstream event, asked for
 * under aliases of the gateway's own (`withVersioning`), so that a topic
 * (topic.ts) delivers each key's versions in strictly increasing order, also
 * across upstream reconnects.
 */
import {
  getNamedType,
  isNonNullType,
  isObjectType,
  isScalarType,
  Kind,
  parse,
  print,
  type FieldNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';

/** Response names the gateway adds to an upstream subscription to read an event's version and key. */
export const VERSION_ALIAS = '_gatewayVersion';
export const KEY_ALIAS = '_gatewayKey';

/** Where an upstream event carries its version and key (see `withVersioning`). */
export interface Versioning {
  /** Response name of the subscription's root field. */
  field: string;
  keyCount: number;
}

/**
 * Versioned streams. A subscription field whose type has `version: Int!`
 * promises versions that strictly increase per value of the type's `ID!`
 * fields (SeatsChangedEvent: per `courseId`, subgraphs/course/schema.graphql).
 * A subgraph keeps that promise within one upstream subscription only: after
 * a reconnect (a restarted subgraph) the resubscription starts again from the
 * current state, which the clients have already seen. So the gateway asks
 * for the version and the key under aliases of its own, whatever the client
 * selected, and each topic drops any event whose version is not above the
 * last one it delivered for that key. The aliases never reach clients:
 * executeQueryPlan shapes each result to the client's selection.
 */
export function withVersioning(operation: string, schema: GraphQLSchema): { query: string; versioning: Versioning | null } {
  const unchanged = { query: operation, versioning: null };
  const document = parse(operation);
  const definition = document.definitions.find((node): node is OperationDefinitionNode => node.kind === Kind.OPERATION_DEFINITION);
  const root = definition?.selectionSet.selections.find((node): node is FieldNode => node.kind === Kind.FIELD && node.name.value !== '__typename');
  const type = root && schema.getSubscriptionType()?.getFields()[root.name.value]?.type;
  const eventType = type && getNamedType(type);
  if (!definition || !root?.selectionSet || !isObjectType(eventType)) return unchanged;
  const nonNullScalar = (field: { type: unknown }, name: string) =>
    isNonNullType(field.type) && isScalarType(field.type.ofType) && field.type.ofType.name === name;
  const fields = Object.values(eventType.getFields());
  const version = fields.find((field) => field.name === 'version' && nonNullScalar(field, 'Int'));
  const keys = fields.filter((field) => nonNullScalar(field, 'ID'));
  if (!version || keys.length === 0) return unchanged;
  const aliased = (name: string, alias: string): FieldNode => ({
    kind: Kind.FIELD,
    alias: { kind: Kind.NAME, value: alias },
    name: { kind: Kind.NAME, value: name },
  });
  const extended: FieldNode = {
    ...root,
    selectionSet: {
      ...root.selectionSet,
      selections: [
        ...root.selectionSet.selections,
        aliased(version.name, VERSION_ALIAS),
        ...keys.map((key, index) => aliased(key.name, `${KEY_ALIAS}${index}`)),
      ],
    },
  };
  const selections = definition.selectionSet.selections.map((node) => (node === root ? extended : node));
  const definitions = document.definitions.map((node) =>
    node === definition ? { ...definition, selectionSet: { ...definition.selectionSet, selections } } : node,
  );
  return { query: print({ ...document, definitions }), versioning: { field: root.alias?.value ?? root.name.value, keyCount: keys.length } };
}
