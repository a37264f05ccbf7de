// Trusted documents (docs/security.md): a request may name one of the project's own documents by hash instead of
// sending it, and with TRUSTED_DOCUMENTS_ONLY=true it must, unless its token has things:any-document. Built on Yoga's
// persisted-operations plugin, with the codes and HTTP statuses every other client error has.
import { usePersistedOperations } from "@graphql-yoga/plugin-persisted-operations";
import { createGraphQLError, type GraphQLParams, type Plugin } from "graphql-yoga";
import type { Scope } from "../auth/scopes.ts";
import type { Authenticate } from "../auth/tokens.ts";
import { ErrorCode } from "../errors.ts";
import { trustedDocument } from "../trusted-documents/index.ts";

/** The request parameter graphql-over-http's persisted documents appendix names the hash with. */
export const DOCUMENT_ID_PARAM = "documentId";

/** The scope that lifts TRUSTED_DOCUMENTS_ONLY for a token (GraphiQL, scripts). */
const ANY_DOCUMENT_SCOPE: Scope = "things:any-document";

interface ApolloPersistedQuery {
  version: 1;
  sha256Hash: string;
}

function isApolloPersistedQuery(value: unknown): value is ApolloPersistedQuery {
  if (typeof value !== "object" || value === null) return false;
  const { version, sha256Hash } = value as Record<string, unknown>;
  return version === 1 && typeof sha256Hash === "string";
}

/**
 * The trusted document a request names: graphql-over-http's `documentId: "sha256:<hex>"`, or Apollo's
 * `extensions.persistedQuery.sha256Hash: "<hex>"` (the same digest, without the prefix). Null when it names none.
 */
export function documentIdOf(params: GraphQLParams & { [DOCUMENT_ID_PARAM]?: unknown }): string | null {
  const documentId = params[DOCUMENT_ID_PARAM];
  if (typeof documentId === "string") return documentId;
  const persisted: unknown = params.extensions?.persistedQuery;
  return isApolloPersistedQuery(persisted) ? `sha256:${persisted.sha256Hash}` : null;
}

/** A request error: HTTP 400 for application/graphql-response+json, 200 for application/json (graphql-over-http). */
const requestError = (code: ErrorCode, message: string) => () =>
  createGraphQLError(message, { extensions: { code, http: { spec: true, status: 400 } } });

export interface TrustedDocumentsOptions {
  /** TRUSTED_DOCUMENTS_ONLY: refuse any document that is not a trusted one, unless the token has things:any-document. */
  trustedOnly: boolean;
  /** Who is calling; runs before the context exists, so it should be the per-request cached one (src/yoga.ts). */
  authenticate: Authenticate;
}

export function trustedDocumentsPlugin({ trustedOnly, authenticate }: TrustedDocumentsOptions): Plugin {
  const { onParams, onParse, onValidate } = usePersistedOperations({
    getPersistedOperation: (id) => trustedDocument(id) ?? null,
    extractPersistedOperationId: documentIdOf,
    allowArbitraryOperations: trustedOnly
      ? async (request) => (await authenticate(request))?.scopes.has(ANY_DOCUMENT_SCOPE) ?? false
      : true,
    customErrors: {
      persistedQueryOnly: requestError(
        ErrorCode.TRUSTED_DOCUMENT_REQUIRED,
        "This server runs only trusted documents: send the document's hash (documentId), or use a token with things:any-document",
      ),
      // Apollo's persisted-query link recognises this message; our example clients do not fall back to the document.
      notFound: requestError(ErrorCode.PERSISTED_QUERY_NOT_FOUND, "PersistedQueryNotFound"),
    },
  });
  return {
    onParams(payload) {
      // Neither a document nor a hash: Yoga answers as it always did ("Must provide query string.", BAD_REQUEST, or
      // a parse error for an empty one) instead of the plugin's uncoded PersistedQueryKeyNotFound.
      if (!payload.params.query && documentIdOf(payload.params) === null) return;
      return onParams?.(payload);
    },
    onParse,
    onValidate,
  };
}
