// Abuse limits on GraphQL documents, in one place (README "Security" lists them). Each is checked while the
// document is validated, so a rejected document never reaches a resolver or the database.
import { EnvelopArmorPlugin } from "@escape.tech/graphql-armor";
import type { GraphQLError, ValidationContext } from "graphql";
import type { Plugin } from "graphql-yoga";

export const DOCUMENT_LIMITS = {
  /** Deepest selection; a client's deepest real query (payload → query → things → edges → node → id) is 6. */
  maxDepth: 10,
  /** Aliases per document: enough for a dashboard, far from 1000 aliased deletes. */
  maxAliases: 10,
  /** Lexical tokens per document; long id lists belong in variables, which are not tokens. */
  maxTokens: 2000,
  /** Directives per document. */
  maxDirectives: 20,
  /** graphql-armor's cost (objects 2, scalars 1, multiplied by depth): bounds what one query can make us read. */
  maxCost: 5000,
} as const;

/**
 * Validation-time limits report their error like any validation rule (HTTP 400, GRAPHQL_VALIDATION_FAILED, all
 * violations listed) instead of throwing out of validation, armor's default, which Yoga answers with a code-less 200.
 */
const reportAsValidationError = {
  propagateOnRejection: false,
  onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(error)],
};

export function documentLimitsPlugin(): Plugin {
  return EnvelopArmorPlugin({
    maxDepth: {
      n: DOCUMENT_LIMITS.maxDepth,
      ignoreIntrospection: true,
      flattenFragments: true,
      ...reportAsValidationError,
    },
    maxAliases: { n: DOCUMENT_LIMITS.maxAliases, ...reportAsValidationError },
    // Counted while parsing, before there is a validation context: this one stays a parse error.
    maxTokens: { n: DOCUMENT_LIMITS.maxTokens },
    maxDirectives: { n: DOCUMENT_LIMITS.maxDirectives, ...reportAsValidationError },
    costLimit: { maxCost: DOCUMENT_LIMITS.maxCost, ignoreIntrospection: true, ...reportAsValidationError },
  });
}
