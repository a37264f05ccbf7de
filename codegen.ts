// graphql-codegen: the committed printed schema (schema.graphql, sorted so diffs show real API changes), typed
// documents for the operations the tests send, and typed documents for the Apollo example client and for the web
// example (separate outputs, so each example can be copied with its own gql/ folder). `npm run codegen:check` fails
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
    "./examples/web/gql/": {
      documents: ["examples/web/**/*.graphql"],
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: { useTypeImports: true, enumsAsTypes: true, scalars: { ID: "string", DateTime: "string" } },
    },
  },
};

export default config;
