/**
 * Limits on what one operation may ask for, checked while validating it, over
 * HTTP and websockets alike: nesting depth and an estimated cost. A refused
 * operation gets a GRAPHQL_VALIDATION_FAILED error saying which limit it broke.
 */
import type { GraphQLError, ValidationContext, ValidationRule } from 'graphql';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';

export interface QueryLimits {
  maxDepth: number;
  maxCost: number;
}

// Report through validation, as every other validation error is, rather than throwing (the library's default).
const report = {
  propagateOnRejection: false,
  onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(error)],
};

export const limitRules = ({ maxDepth, maxCost }: QueryLimits): ValidationRule[] => [
  maxDepthRule({ n: maxDepth, exposeLimits: true, flattenFragments: true, ...report }) as unknown as ValidationRule,
  costLimitRule({ maxCost, exposeLimits: true, flattenFragments: true, ...report }) as unknown as ValidationRule,
];
