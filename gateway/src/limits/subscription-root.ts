/**
 * A subscription's root selection set never depends on its variables:
 * @skip and @include there are refused with GRAPHQL_VALIDATION_FAILED, over
 * HTTP (`subscriptionRootGuard`) and websockets (`checkOperation`) alike.
 */
import type { NextFunction, Request, Response } from 'express';
import {
  GraphQLError,
  Kind,
  OperationTypeNode,
  parse,
  type DocumentNode,
  type FragmentDefinitionNode,
  type ParseOptions,
  type SelectionSetNode,
} from 'graphql';
import { requestIdExtension } from '@coursegraph/runtime';
import { requestParameter } from './request';

/**
 * @skip and @include on the root selection set of any subscription in the
 * document, through inline fragments and fragment spreads: the GraphQL spec's
 * "Single root field" rule forbids them (graphql-spec #860), so a
 * subscription's one root field never depends on its variables. Checked
 * before validation, over HTTP (subscriptionRootGuard) and websockets
 * (checkOperation) alike: graphql-js 16's SingleFieldSubscriptionsRule throws
 * on `@include(if: $v)` there instead of reporting it.
 */
export function conditionalRootErrors(document: DocumentNode): GraphQLError[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const node of document.definitions) if (node.kind === Kind.FRAGMENT_DEFINITION) fragments.set(node.name.value, node);
  const errors: GraphQLError[] = [];
  // Each fragment is looked into once, however often it is spread: the work stays linear in the document.
  const visited = new Set<string>();
  const check = (selectionSet: SelectionSetNode, operation: string) => {
    for (const selection of selectionSet.selections) {
      const conditions = selection.directives?.filter((directive) => directive.name.value === 'skip' || directive.name.value === 'include') ?? [];
      if (conditions.length > 0) {
        errors.push(
          new GraphQLError(`Subscription ${operation} must not use @skip or @include on its root selection set.`, {
            nodes: conditions,
            extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
          }),
        );
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) check(selection.selectionSet, operation);
      if (selection.kind === Kind.FRAGMENT_SPREAD && !visited.has(selection.name.value)) {
        visited.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) check(fragment.selectionSet, operation);
      }
    }
  };
  for (const node of document.definitions) {
    if (node.kind === Kind.OPERATION_DEFINITION && node.operation === OperationTypeNode.SUBSCRIPTION) {
      check(node.selectionSet, node.name ? `"${node.name.value}"` : '(anonymous)');
    }
  }
  return errors;
}

/**
 * Express middleware in front of Apollo Server: a document whose subscription
 * uses @skip or @include on its root selection set gets 400
 * GRAPHQL_VALIDATION_FAILED (conditionalRootErrors), since Apollo Server's
 * validation would meet graphql-js's throw and answer 500. Only a document
 * that mentions both `subscription` and `skip` or `include` is parsed.
 */
export function subscriptionRootGuard(parseOptions: ParseOptions) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const query = requestParameter(req, 'query');
    // GraphQL allows spaces, commas and comments between `@` and a directive's name: look for the names alone.
    if (typeof query !== 'string' || !/\bsubscription\b/.test(query) || !/\b(skip|include)\b/.test(query)) return next();
    let errors: GraphQLError[];
    try {
      errors = conditionalRootErrors(parse(query, parseOptions));
    } catch {
      return next(); // Apollo Server reports the syntax error as usual.
    }
    if (errors.length === 0) return next();
    res.status(400).json({
      errors: errors.map((error) => ({
        message: error.message,
        locations: error.locations,
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED', ...requestIdExtension() },
      })),
    });
  };
}
