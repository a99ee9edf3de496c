/**
 * Every input a subgraph receives, handled once as it enters, for every field
 * of the schema, so a field added later cannot forget it:
 *
 * - Ids are canonical: every `ID` value (arguments, input-object fields, list
 *   items, and the key fields of `_entities` representations) is lower-cased
 *   before any resolver sees it, so equal ids always compare equal. Ids here
 *   are UUIDs, which PostgreSQL stores and returns lower-case
 *   (DESIGN.md, "Layer rules": ids are canonicalised where they enter).
 * - Text is text: an `ID` or `String` value with a control character (C0 other
 *   than tab and line breaks, DEL, C1), a bidi embedding, override or isolate
 *   control, a BOM, a noncharacter or an unpaired UTF-16 surrogate is refused
 *   before any resolver runs. PostgreSQL cannot store NUL at all, a lone
 *   surrogate would silently become U+FFFD, and bidi controls let a name
 *   display as another.
 *
 * A refusal is a `VALIDATION` user error naming the field (`input.email`)
 * when the field returns a payload with `userErrors` whose other fields are
 * all nullable (mutations), and a `BAD_USER_INPUT` GraphQL error otherwise
 * (queries, subscriptions, `_entities`). Nothing else runs, so nothing changes.
 *
 * Values of custom scalars (`_Any`, `_FieldSet`, ...) are left alone, except
 * `_entities` representations, which are checked against their entity type.
 */
import {
  defaultFieldResolver,
  getNamedType,
  getNullableType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLInputType,
  type GraphQLInterfaceType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';
import { badInput, userError } from './errors';

// C0 controls except tab, LF and CR; DEL; C1 controls; bidi embeddings, overrides and isolates (they reorder
// the text around them: "Admin\u202e" spoofs); the BOM; noncharacters (U+FDD0-U+FDEF and U+xFFFE/U+xFFFF in every
// plane); unpaired surrogates (with the u flag a class of surrogates matches only unpaired ones). LRM/RLM, ZWJ,
// soft hyphens and combining marks are text and pass.
// eslint-disable-next-line no-control-regex -- matching control characters is this expression's purpose
const NOT_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufeff]|\p{Noncharacter_Code_Point}|[\ud800-\udfff]/u;
/** The refusal's message, the same from guardInputs and checkText. */
export const NOT_TEXT_MESSAGE = 'Must not contain control or invisible formatting characters.';

/** The canonical form of an id: lower case (ids are UUIDs). */
export const canonicalId = (id: string): string => id.toLowerCase();

/** Whether `value` is text a client may send: none of the characters NOT_TEXT lists. */
export const isCleanText = (value: string): boolean => !NOT_TEXT.test(value);

/** Thrown inside the walk; `path` is the offending value's place, such as `input.title` or `courseIds.2`. */
class Refused {
  constructor(readonly path: string) {}
}

const isTextScalar = (name: string) => name === 'ID' || name === 'String';

function text(scalar: string, value: unknown, path: string): unknown {
  if (typeof value !== 'string') return value;
  if (!isCleanText(value)) throw new Refused(path);
  return scalar === 'ID' ? canonicalId(value) : value;
}

/** Whether values of `type` can hold an ID or String anywhere (`seen` stops recursive input types). */
function holdsText(type: GraphQLInputType, seen = new Set<string>()): boolean {
  const named = getNamedType(type);
  if (isScalarType(named)) return isTextScalar(named.name);
  if (!isInputObjectType(named) || seen.has(named.name)) return false;
  seen.add(named.name);
  return Object.values(named.getFields()).some((field) => holdsText(field.type, seen));
}

/** A coerced argument value with its ids canonical; throws Refused at the first value that is not text. */
function cleanInput(type: GraphQLInputType, value: unknown, path: string): unknown {
  if (value === null || value === undefined) return value;
  if (isNonNullType(type)) return cleanInput(type.ofType, value, path);
  if (isListType(type)) {
    return Array.isArray(value) ? value.map((item, index) => cleanInput(type.ofType, item, `${path}.${index}`)) : value;
  }
  if (isInputObjectType(type)) {
    const fields = type.getFields();
    const out: Record<string, unknown> = {};
    for (const [name, item] of Object.entries(value as Record<string, unknown>)) {
      const field = fields[name];
      out[name] = field ? cleanInput(field.type, item, `${path}.${name}`) : item;
    }
    return out;
  }
  return isScalarType(type) && isTextScalar(type.name) ? text(type.name, value, path) : value;
}

function cleanArgs(args: readonly GraphQLArgument[], values: Record<string, unknown>): Record<string, unknown> {
  const out = { ...values };
  for (const arg of args) if (arg.name in out) out[arg.name] = cleanInput(arg.type, out[arg.name], arg.name);
  return out;
}

/**
 * An `_entities` representation with the ids of its entity type canonical:
 * each key field is read with the type the entity declares for it (nested
 * selections such as `owner { id }` included).
 */
function cleanReference(type: GraphQLObjectType | GraphQLInterfaceType, value: unknown, path: string): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const fields = type.getFields();
  const out: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(value as Record<string, unknown>)) {
    const field = fields[name];
    out[name] = field ? cleanOutputValue(field.type, item, `${path}.${name}`) : text('String', item, `${path}.${name}`);
  }
  return out;
}

function cleanOutputValue(type: GraphQLOutputType, value: unknown, path: string): unknown {
  if (value === null || value === undefined) return value;
  if (isNonNullType(type)) return cleanOutputValue(type.ofType, value, path);
  if (isListType(type)) {
    return Array.isArray(value) ? value.map((item, index) => cleanOutputValue(type.ofType, item, `${path}.${index}`)) : value;
  }
  if (isObjectType(type) || isInterfaceType(type)) return cleanReference(type, value, path);
  return isScalarType(type) && isTextScalar(type.name) ? text(type.name, value, path) : value;
}

function cleanRepresentations(schema: GraphQLSchema, values: Record<string, unknown>): Record<string, unknown> {
  const representations = values.representations;
  if (!Array.isArray(representations)) return values;
  return {
    ...values,
    representations: representations.map((representation: unknown, index) => {
      const typename = (representation as { __typename?: unknown } | null)?.__typename;
      const type = typeof typename === 'string' ? schema.getType(typename) : undefined;
      return type && (isObjectType(type) || isInterfaceType(type))
        ? cleanReference(type, representation, `representations.${index}`)
        : representation;
    }),
  };
}

/** Whether the field answers a refusal with a payload: it returns an object with `userErrors` and nothing else required. */
function answersWithUserErrors(field: GraphQLField<unknown, unknown>): boolean {
  const payload = getNullableType(field.type);
  if (!isObjectType(payload)) return false;
  const fields = Object.values(payload.getFields());
  return fields.some((f) => f.name === 'userErrors') && fields.every((f) => f.name === 'userErrors' || !isNonNullType(f.type));
}

type Clean = (values: Record<string, unknown>) => Record<string, unknown>;

function guardField(field: GraphQLField<unknown, unknown>, clean: Clean): void {
  const withPayload = answersWithUserErrors(field);
  const refuse = (refused: Refused, payloadAllowed: boolean) => {
    if (payloadAllowed) return { userErrors: [userError('VALIDATION', NOT_TEXT_MESSAGE, refused.path)] };
    throw badInput(`\`${refused.path}\`: ${NOT_TEXT_MESSAGE}`);
  };
  const wrap = (resolve: GraphQLFieldResolver<unknown, unknown>, payloadAllowed: boolean): GraphQLFieldResolver<unknown, unknown> =>
    function guarded(source, args, context, info) {
      let cleaned: Record<string, unknown>;
      try {
        cleaned = clean(args);
      } catch (error) {
        if (error instanceof Refused) return refuse(error, payloadAllowed);
        throw error;
      }
      return resolve(source, cleaned, context, info);
    };
  field.resolve = wrap(field.resolve ?? defaultFieldResolver, withPayload);
  // A subscription's arguments enter through `subscribe`; a refusal there cannot be a payload.
  if (field.subscribe) field.subscribe = wrap(field.subscribe, false);
}

/**
 * Applies the rules above to every field of `schema` that takes an ID or
 * String argument, and to `Query._entities`, by wrapping their resolvers in
 * place. Call once, on a freshly built subgraph schema; returns it.
 */
export function guardInputs(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (type === schema.getQueryType() && field.name === '_entities') {
        guardField(field, (values) => cleanRepresentations(schema, values));
      } else if (field.args.some((arg) => holdsText(arg.type))) {
        guardField(field, (values) => cleanArgs(field.args, values));
      }
    }
  }
  return schema;
}
