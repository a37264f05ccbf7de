// Yoga's CSRF prevention, with the `extensions.code` every other client error carries: the library's 403 says only
// "Required CSRF header(s) not present", which a client cannot branch on.
import { useCSRFPrevention, type CSRFPreventionPluginOptions } from "@graphql-yoga/plugin-csrf-prevention";
import { GraphQLError } from "graphql";
import { createGraphQLError, type Plugin } from "graphql-yoga";
import { ErrorCode } from "../errors.ts";

/**
 * The header a browser-style request (a GET, a form POST) must carry. A page of another origin cannot add it
 * without a CORS preflight, which only the origins in CORS_ORIGINS pass; GraphiQL, served to its own origin only, always sends it.
 */
export const CSRF_HEADER = "x-graphql-yoga-csrf";

export function csrfPreventionPlugin(options: CSRFPreventionPluginOptions): Plugin {
  const { onRequestParse } = useCSRFPrevention(options);
  return {
    onRequestParse(payload) {
      try {
        // The library checks synchronously and returns nothing; it only ever throws its refusal.
        return onRequestParse?.(payload);
      } catch (error) {
        if (!(error instanceof GraphQLError)) throw error;
        throw createGraphQLError(error.message, {
          extensions: { ...error.extensions, code: ErrorCode.CSRF_HEADER_REQUIRED },
        });
      }
    },
  };
}
