import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql 16 ships CommonJS and ESM builds; Node loads the CommonJS one for Yoga and Pothos, so tests and src
    // must get the same one, or `instanceof GraphQLError` fails between two copies of the module.
    alias: [{ find: /^graphql$/, replacement: require.resolve("graphql") }],
  },
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/support/global-setup.ts"],
    // Migration tests run the real Prisma CLI (about a second per command).
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ["default", "./test/support/summary-reporter.ts"],
    // Two test files at a time even on 2 cores (vitest's default is one worker less than the cores): most files
    // spend their time waiting for server processes, Prisma CLIs, browsers and databases, not computing. The suite
    // took 248 s in one worker and 142 s in two on 2 idle cores.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Each worker imports src/ and its packages once, not once per file: the SQLite suite went from 218 s to 114 s
    // on 2 idle cores (module import was half of its time). Safe because no test relies on fresh module state:
    // every file builds its own app, database and server processes, and nothing mocks modules.
    isolate: false,
  },
});
