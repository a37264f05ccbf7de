// Errors a client did not cause (a database failure, a bug) reach it as "Unexpected error." with
// extensions.code INTERNAL_SERVER_ERROR and the request id; the original goes to the server log under the same id.
// Never a stack trace, SQL text, file path or Prisma message. Errors built with a code (src/errors.ts) pass.
import { GraphQLError } from "graphql";
import { createGraphQLError, handleStreamOrSingleExecutionResult, type Plugin } from "graphql-yoga";
import type { AppContext } from "../context.ts";
import type { Logger } from "../logger.ts";

type ResultHook = Parameters<typeof handleStreamOrSingleExecutionResult<AppContext>>[1];

/** Thrown GraphQLErrors are ours (or graphql-js'); anything else under a GraphQLError is unexpected. */
function isUnexpected(error: GraphQLError): boolean {
  return error.originalError !== undefined && !(error.originalError instanceof GraphQLError);
}

export function unexpectedErrorMaskingPlugin(logger: Logger): Plugin<AppContext> {
  const maskResults = (requestId: string): ResultHook => {
    const mask = (error: GraphQLError): GraphQLError => {
      if (!isUnexpected(error)) return error;
      logger.error({ err: error.originalError, requestId, path: error.path }, "unexpected error");
      return createGraphQLError("Unexpected error.", {
        nodes: error.nodes,
        path: error.path,
        extensions: { code: "INTERNAL_SERVER_ERROR", requestId },
      });
    };
    return ({ result, setResult }) => {
      if (result.errors?.some(isUnexpected)) setResult({ ...result, errors: result.errors.map(mask) });
    };
  };
  return {
    onExecute: ({ args }) => ({
      onExecuteDone: (payload) =>
        handleStreamOrSingleExecutionResult(payload, maskResults(args.contextValue.requestId)),
    }),
    onSubscribe: ({ args }) => ({
      onSubscribeResult: (payload) =>
        handleStreamOrSingleExecutionResult(payload, maskResults(args.contextValue.requestId)),
    }),
  };
}
