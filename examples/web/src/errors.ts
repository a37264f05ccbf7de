// The API's error codes (docs/api.md#errors) in words a person understands.
import { CombinedGraphQLErrors, ServerError } from "@apollo/client/errors";

const messages: Record<string, string> = {
  UNAUTHENTICATED: "You are not signed in: paste an API token in Settings.",
  FORBIDDEN: "Your token is not allowed to do this.",
  TOO_MANY_IDS: "That is more than the server deletes in one go. Select fewer.",
  TOO_MANY_ROWS: "More Things match now than were shown. Nothing was deleted; check the list and try again.",
  COUNT_MISMATCH: "The trash changed since it was shown. Nothing was deleted; try again.",
  UNDO_DISABLED: "Undo is turned off on this server, so nothing was deleted.",
  UNDO_EXPIRED: "Too late to undo: the deleted Things are gone for good.",
  NOT_FOUND: "That deletion no longer exists.",
  BAD_USER_INPUT: "The server did not accept the request.",
  TOO_MANY_SUBSCRIPTIONS: "The server has too many live connections; updates are paused.",
  SUBSCRIBER_TOO_SLOW: "Live updates fell behind; the lists were reloaded.",
};

/** The error code, if the API sent one. */
export function errorCode(error: unknown): string | undefined {
  if (CombinedGraphQLErrors.is(error)) {
    const code = error.errors[0]?.extensions?.code;
    return typeof code === "string" ? code : undefined;
  }
  return undefined;
}

/** One sentence for the user, with the code for a bug report. */
export function describeError(error: unknown): string {
  const code = errorCode(error);
  if (code) return `${messages[code] ?? "The server refused."} (${code})`;
  if (ServerError.is(error)) return `The server answered HTTP ${error.statusCode}. Is the API running?`;
  return "Cannot reach the server. Is the API running?";
}
