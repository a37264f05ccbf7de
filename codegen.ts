// graphql-codegen: the committed printed schema (schema.graphql, sorted so diffs show real API changes), typed
// documents for the operations the tests send, and typed documents for the Apollo example client and for the web
// example (separate outputs, so each example can be copied with its own gql/ folder), and the names of the
// operations the project ships, which the metrics label by name. `npm run codegen:check` fails
// when any is stale.
import type { CodegenConfig } from "@graphql-codegen/cli";

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
      config: { useTypeImports: true, enumsAsTypes: true, scalars: { ID: "string", DateTime: "string" } },
    },
    "./examples/apollo/gql/": {
      documents: ["examples/apollo/**/*.graphql"],
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: { useTypeImports: true, enumsAsTypes: true, scalars: { ID: "string", DateTime: "string" } },
    },
    // The operation names the metrics label as themselves (src/plugins/use-metrics.ts); any other is `other`.
    "./src/known-operation-names.ts": {
      documents: [
        "src/http/graphiql-document.graphql",
        "examples/apollo/operations.graphql",
        "examples/web/operations.graphql",
      ],
      plugins: ["./scripts/codegen-operation-names.ts"],
      // The examples and GraphiQL share names (UndoDelete, Trash, …): one name here, not a clash. Each document is
      // validated against the schema by its own output above (GraphiQL's by test/graphiql-document.test.ts).
      config: { skipDocumentsValidation: true },
    },
    "./examples/web/gql/": {
      documents: ["examples/web/**/*.graphql"],
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: { useTypeImports: true, enumsAsTypes: true, scalars: { ID: "string", DateTime: "string" } },
    },
  },
};

export default config;
