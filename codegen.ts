// graphql-codegen: the committed printed schema (schema.graphql, sorted so diffs show real API changes) and typed
// documents for the operations the tests send. `npm run codegen:check` fails when either is stale.
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: "./src/schema/index.ts",
  documents: ["test/operations/**/*.graphql"],
  importExtension: ".ts",
  generates: {
    "./schema.graphql": {
      plugins: ["schema-ast"],
      config: { sort: true, includeDirectives: false },
    },
    "./test/gql/": {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: { useTypeImports: true, enumsAsTypes: true, scalars: { ID: "string", DateTime: "string" } },
    },
  },
};

export default config;
