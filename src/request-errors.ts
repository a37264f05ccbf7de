// Gives every error a client can cause an `extensions.code`. graphql-js reports variables that do not fit their
// declared types ("Variable "$ids" got invalid value …") without one; those are the client's input, so
// BAD_USER_INPUT. Errors raised by resolvers or by Yoga already carry a code and are left as they are.
import type { GraphQLError } from "graphql";
import { createGraphQLError, type Plugin } from "graphql-yoga";
import { ErrorCode } from "./errors.ts";

function withCode(error: GraphQLError): GraphQLError {
  if (error.extensions.code !== undefined || error.path !== undefined) return error;
  return createGraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    originalError: error.originalError,
    extensions: { ...error.extensions, code: ErrorCode.BAD_USER_INPUT },
  });
}

export function requestErrorCodesPlugin(): Plugin {
  return {
    onExecute: () => ({
      onExecuteDone({ result, setResult }) {
        // Streams (subscriptions) are per-event results of resolvers, which carry their own codes.
        if (Symbol.asyncIterator in result || !result.errors) return;
        setResult({ ...result, errors: result.errors.map(withCode) });
      },
    }),
  };
}
