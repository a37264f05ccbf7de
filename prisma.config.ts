import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "prisma/config";

const root = dirname(fileURLToPath(import.meta.url));

// Offline the CLI cannot download its native schema engine; our wasm shim stands in unless one is already there.
if (process.env.PRISMA_SCHEMA_ENGINE_BINARY === undefined && !hasNativeSchemaEngine()) {
  process.env.PRISMA_SCHEMA_ENGINE_BINARY = join(root, "prisma", "schema-engine-shim");
}

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "file:./data/things.db" },
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
