// Gives every error a client causes an `extensions.code`. graphql-js reports variables that do not fit their
// declared types ("Variable "$ids" got invalid value …") without one, and so do argument checks of Pothos plugins
// ("Argument "first" must be a non-negative integer"); both are the client's input, so BAD_USER_INPUT. Errors that
// carry a code keep it; failures that are not GraphQL errors are left to use-error-masking.ts.
import { GraphQLError } from "graphql";
import { createGraphQLError, type Plugin } from "graphql-yoga";
import { ErrorCode } from "../errors.ts";

function withCode(error: GraphQLError): GraphQLError {
  const unexpected = error.originalError !== undefined && !(error.originalError instanceof GraphQLError);
  if (error.extensions.code !== undefined || unexpected) return error;
  return createGraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
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
