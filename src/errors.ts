// The error codes clients can branch on, and the GraphQL errors that carry them. Anything thrown that is not
// built here is unexpected and stays masked by Yoga ("Unexpected error.").
import type { GraphQLError } from "graphql";
import { createGraphQLError } from "graphql-yoga";

export const ErrorCode = {
  /** An argument is malformed: the message names it and the offending value. */
  BAD_USER_INPUT: "BAD_USER_INPUT",
  /** The request's delete fields could remove more rows than MAX_DELETE_IDS (`extensions.max`, `.requested`). */
  TOO_MANY_IDS: "TOO_MANY_IDS",
  /** createThings got more texts than MAX_CREATE_TEXTS; `extensions.max` says how many are allowed. */
  TOO_MANY_TEXTS: "TOO_MANY_TEXTS",
  /** More rows match than the call allows; `extensions.matched` and `extensions.atMost` say how many. */
  TOO_MANY_ROWS: "TOO_MANY_ROWS",
  /** deleteAllThings' expectedCount is not the current row count, given in `extensions.actualCount`. */
  COUNT_MISMATCH: "COUNT_MISMATCH",
  /** No valid bearer token, where one is needed (or an invalid one anywhere). */
  UNAUTHENTICATED: "UNAUTHENTICATED",
  /** A valid token without the scope this field needs; `extensions.scope` names it. */
  FORBIDDEN: "FORBIDDEN",
  /**
   * A create would need an id past 2147483647, the largest the id column takes; nothing was created.
   * `extensions.maxId` gives that limit.
   */
  ID_RANGE_EXHAUSTED: "ID_RANGE_EXHAUSTED",
  /** undoable: true while TRASH_RETENTION_MS is 0, which turns undoable deletes off; nothing was deleted. */
  UNDO_DISABLED: "UNDO_DISABLED",
  /** undoDelete after the deletion's `extensions.restorableUntil`; nothing was restored. */
  UNDO_EXPIRED: "UNDO_EXPIRED",
  /** undoDelete of a deletion id that does not exist (or was dropped by the purge). */
  NOT_FOUND: "NOT_FOUND",
  /** HTTP 403: a browser-style request (a GET, a form POST) without the x-graphql-yoga-csrf header. */
  CSRF_HEADER_REQUIRED: "CSRF_HEADER_REQUIRED",
  /** MAX_SUBSCRIPTIONS subscriptions are open on this instance; `extensions.max` says how many. Retry later. */
  TOO_MANY_SUBSCRIPTIONS: "TOO_MANY_SUBSCRIPTIONS",
  /**
   * The last event of a subscription whose client fell more than SUBSCRIBER_QUEUE_MAX events behind (`extensions.max`):
   * it was dropped and missed events, so it should refetch and subscribe again.
   */
  SUBSCRIBER_TOO_SLOW: "SUBSCRIBER_TOO_SLOW",
  /**
   * The caller's subject used up DELETE_RATE_LIMIT for this window; nothing was deleted. Retry after
   * `extensions.retryAfterMs`, which is null when the request asks for more rows (`.requested`) than the whole
   * window allows (`.limit` per `.windowMs`): split it instead. `.remaining` says how many rows still fit.
   */
  RATE_LIMITED: "RATE_LIMITED",
  /** GraphiQL (GET /graphql asking for text/html) requested by a page of another origin; HTTP 403. */
  CROSS_ORIGIN: "CROSS_ORIGIN",
  /**
   * HTTP 400 under TRUSTED_DOCUMENTS_ONLY=true: the request carried a document instead of a trusted document's hash,
   * and its token lacks things:any-document. Nothing ran.
   */
  TRUSTED_DOCUMENT_REQUIRED: "TRUSTED_DOCUMENT_REQUIRED",
  /** HTTP 400: the request named a trusted document hash (`documentId` or persistedQuery) this server does not know. */
  PERSISTED_QUERY_NOT_FOUND: "PERSISTED_QUERY_NOT_FOUND",
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export function userError(code: ErrorCode, message: string, details: Record<string, unknown> = {}): GraphQLError {
  return createGraphQLError(message, { extensions: { ...details, code } });
}

export function badUserInput(message: string, details: Record<string, unknown> = {}): GraphQLError {
  return userError(ErrorCode.BAD_USER_INPUT, message, details);
}
