import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "prisma/config";
import { PRISMA_PATHS, readDatabaseUrl } from "./src/config.ts";

const root = dirname(fileURLToPath(import.meta.url));

// Offline the CLI cannot download its native schema engine; our wasm shim stands in unless one is already there.
if (process.env.PRISMA_SCHEMA_ENGINE_BINARY === undefined && !hasNativeSchemaEngine()) {
  process.env.PRISMA_SCHEMA_ENGINE_BINARY = join(root, "tools", "prisma-offline", "schema-engine-shim");
}

// A schema has one provider, so PostgreSQL has its own (derived) schema and history; DATABASE_URL picks the pair, and
// `prisma migrate status|deploy|diff` work the same on both.
const { provider, url } = readDatabaseUrl();

export default defineConfig({
  schema: PRISMA_PATHS[provider].schema,
  migrations: { path: PRISMA_PATHS[provider].migrations },
  datasource: { url },
});

/** An online install downloads `schema-engine-<platform>` into @prisma/engines. */
function hasNativeSchemaEngine(): boolean {
  try {
    const engines = readdirSync(join(root, "node_modules", "@prisma", "engines"));
    return engines.some((name) => name.startsWith("schema-engine-"));
  } catch {
    return false;
  }
}
