import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "prisma/config";

const root = dirname(fileURLToPath(import.meta.url));

// Offline the CLI cannot download its native schema engine; our wasm shim stands in unless one is already there.
if (process.env.PRISMA_SCHEMA_ENGINE_BINARY === undefined && !hasNativeSchemaEngine()) {
  process.env.PRISMA_SCHEMA_ENGINE_BINARY = join(root, "prisma", "schema-engine-shim");
}

// A schema has one provider, so PostgreSQL has its own (derived) schema and history; DATABASE_URL picks the pair, and
// `prisma migrate status|deploy|diff` work the same on both. Kept in step with migrationsPath() in
// src/migrations/adapters.ts, not imported: that would load both database drivers into every CLI command.
const url = process.env.DATABASE_URL ?? "file:./data/things.db";
const postgres = /^postgres(ql)?:\/\//i.test(url);

export default defineConfig({
  schema: postgres ? "prisma/postgresql/schema.prisma" : "prisma/schema.prisma",
  migrations: { path: postgres ? "prisma/postgresql/migrations" : "prisma/migrations" },
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
