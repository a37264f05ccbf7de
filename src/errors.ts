// The error codes clients can branch on, and the GraphQL errors that carry them. Anything thrown that is not
// built here is unexpected and stays masked by Yoga ("Unexpected error.").
import type { GraphQLError } from "graphql";
import { createGraphQLError } from "graphql-yoga";

export const ErrorCode = {
  /** An argument is malformed: the message names it and the offending value. */
  BAD_USER_INPUT: "BAD_USER_INPUT",
  /** More distinct ids than MAX_DELETE_IDS; `extensions.max` says how many are allowed. */
  TOO_MANY_IDS: "TOO_MANY_IDS",
  /** More rows match than the call allows; `extensions.matched` and `extensions.atMost` say how many. */
  TOO_MANY_ROWS: "TOO_MANY_ROWS",
  /** deleteAllThings' expectedCount is not the current row count, given in `extensions.actualCount`. */
  COUNT_MISMATCH: "COUNT_MISMATCH",
  /** No valid bearer token, where one is needed (or an invalid one anywhere). */
  UNAUTHENTICATED: "UNAUTHENTICATED",
  /** A valid token without the scope this field needs; `extensions.scope` names it. */
  FORBIDDEN: "FORBIDDEN",
  /** GraphiQL (GET /graphql asking for text/html) requested by a page of another origin; HTTP 403. */
  CROSS_ORIGIN: "CROSS_ORIGIN",
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export function userError(
  code: ErrorCode,
  message: string,
  details: Record<string, unknown> = {},
): GraphQLError {
  return createGraphQLError(message, { extensions: { ...details, code } });
}

export function badUserInput(message: string, details: Record<string, unknown> = {}): GraphQLError {
  return userError(ErrorCode.BAD_USER_INPUT, message, details);
}
