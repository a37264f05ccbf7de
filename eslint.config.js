// ESLint: typescript-eslint's type-checked rules over every TypeScript file tsconfig.json covers. The promise rules
// matter most here: a floating promise in a request path is an unhandled rejection that takes the process down.
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

export default defineConfig(
  {
    // Generated code (Prisma clients, codegen documents) and outputs nobody edits by hand.
    ignores: [
      "src/generated/",
      "test/gql/",
      "examples/*/gql/",
      "src/trusted-documents/generated/",
      "dist/",
      "examples/*/dist/",
      "node_modules/",
      "bench/results/",
      "data/",
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // This file is JavaScript outside tsconfig.json; it is linted without type information (below).
        projectService: { allowDefaultProject: ["eslint.config.js"] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      // The codebase writes `import type { A }` when everything is a type and `import { a, type B }` when mixed.
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      // With verbatimModuleSyntax, `import { type A }` alone would keep a side-effect import of the module.
      "@typescript-eslint/no-import-type-side-effects": "error",
      // `_name` is how a callback says it takes an argument only for its position (e.g. `(_request, response)`).
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // Synchronous implementations of Promise-returning interfaces (the SQLite side of provider-neutral ones) are
      // `async` on purpose, so that a throw reaches the caller as a rejection like the PostgreSQL side's.
      "@typescript-eslint/require-await": "off",
      // Yoga hook payloads and this codebase's option objects declare callbacks as methods and are destructured
      // (`{ endResponse }`, `{ release }`); nothing here is a class whose `this` could be lost that way.
      "@typescript-eslint/unbound-method": "off",
    },
  },
  {
    files: ["test/**/*.ts"],
    rules: {
      // vitest's asymmetric matchers (expect.any, expect.objectContaining…) and JSON bodies are typed `any` by
      // design; assertions compare them, nothing calls into them.
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-return": "off",
    },
  },
  {
    // JavaScript: this file, and the PostGraphile peer of the benchmark, which runs from an install of its own
    // (bench/postgraphile/package.json) that the project's type-check does not see.
    files: ["**/*.js", "**/*.mjs"],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
