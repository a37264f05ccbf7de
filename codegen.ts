// graphql-codegen: the committed printed schema (schema.graphql, sorted so diffs show real API changes), typed
// documents for the operations the tests send, and typed documents for the Apollo example client and for the web
// example (separate outputs, so each example can be copied with its own gql/ folder). `npm run codegen:check` fails
// when any is stale.
//
// The examples' documents are trusted documents (docs/security.md): each carries its SHA-256 hash in `__meta__.hash`,
// which the clients send instead of the document, and gql/persisted-documents.json lists them. The server's copy of
// the same list is src/trusted-documents/generated/, written here too so that src never reads examples/.
import { addTypenameSelectionDocumentTransform } from "@graphql-codegen/client-preset";
import type { CodegenConfig } from "@graphql-codegen/cli";

const typedDocumentsConfig = {
  useTypeImports: true,
  enumsAsTypes: true,
  scalars: { ID: "string", DateTime: "string" },
};

/**
 * What a client sends by hash must be exactly what it would have sent in full: Apollo's cache adds `__typename` to
 * every selection, so the hashed documents select it too. The server-side list gets the same transform.
 */
const trustedDocumentTransforms = [addTypenameSelectionDocumentTransform];

/** An example client's typed documents, with hashes, and the server's list of them. */
function trustedClient(example: "apollo" | "web"): CodegenConfig["generates"] {
  const documents = [`examples/${example}/**/*.graphql`];
  return {
    [`./examples/${example}/gql/`]: {
      documents,
      preset: "client",
      presetConfig: { fragmentMasking: false, persistedDocuments: { hashAlgorithm: "sha256" } },
      documentTransforms: trustedDocumentTransforms,
      config: typedDocumentsConfig,
    },
    [`./src/trusted-documents/generated/${example}-example.ts`]: {
      documents,
      plugins: ["./tools/codegen/trusted-documents.ts"],
      documentTransforms: trustedDocumentTransforms,
    },
  };
}

const config: CodegenConfig = {
  schema: "./src/schema/index.ts",
  importExtension: ".ts",
  generates: {
    "./schema.graphql": {
      plugins: ["schema-ast"],
      config: { sort: true, includeDirectives: false },
    },
    "./test/gql/": {
      documents: ["test/operations/**/*.graphql"],
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: typedDocumentsConfig,
    },
    ...trustedClient("apollo"),
    ...trustedClient("web"),
  },
};

export default config;
