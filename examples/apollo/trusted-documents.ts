// Trusted documents: the client sends the hash codegen gave each document (`__meta__.hash`, see codegen.ts) instead of
// the document, in Apollo's persisted-query format, and never falls back to sending the document itself. A server
// with TRUSTED_DOCUMENTS_ONLY=true would refuse that fallback anyway (TRUSTED_DOCUMENT_REQUIRED), and an unknown hash
// means the server was deployed without this client's documents: that should fail loudly (PERSISTED_QUERY_NOT_FOUND),
// not be papered over by a request that works only on lenient servers.
import { Kind, type DocumentNode } from "graphql";
import { PersistedQueryLink } from "@apollo/client/link/persisted-queries";

/** The hex digest Apollo's `extensions.persistedQuery.sha256Hash` carries, from codegen's `sha256:<hex>`. */
export function trustedHashOf(document: DocumentNode): string {
  const hash = (document as { __meta__?: { hash?: unknown } }).__meta__?.hash;
  const name = document.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION)?.name?.value;
  if (typeof hash !== "string" || !hash.startsWith("sha256:")) {
    throw new Error(
      `${name ?? "This document"} is not a trusted document: write it in a .graphql file and run codegen`,
    );
  }
  return hash.slice("sha256:".length);
}

export function trustedDocumentsLink(): PersistedQueryLink {
  return new PersistedQueryLink({ generateHash: trustedHashOf, disable: () => false, retry: () => false });
}
