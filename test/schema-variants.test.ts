// The PostgreSQL schema is derived from prisma/schema.prisma; these fail when the two drift apart.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { POSTGRESQL_SCHEMA, postgresqlSchema, SQLITE_SCHEMA } from "../scripts/db-schema.ts";
import { root } from "./support/processes.ts";

const read = (path: string) => readFileSync(join(root, path), "utf-8");
const migrationNames = (dir: string) =>
  readdirSync(join(root, dir), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();

describe("the PostgreSQL variant of the Prisma schema", () => {
  it("is exactly what `npm run db:schema` derives from prisma/schema.prisma", () => {
    expect(read(POSTGRESQL_SCHEMA)).toBe(postgresqlSchema(read(SQLITE_SCHEMA)));
  });

  it("differs only in the datasource provider and the generated client's location", () => {
    const variant = read(POSTGRESQL_SCHEMA);
    expect(variant).toContain(`provider = "postgresql"`);
    expect(variant).toMatch(/^\s*output\s*=\s*"\.\.\/\.\.\/src\/generated\/prisma-postgresql"$/m);
    // The client generator's other settings carry over, e.g. the smaller query compiler build (docs/benchmark.md).
    expect(variant).toMatch(/^\s*compilerBuild\s*=\s*"small"$/m);
    const models = (schema: string) => schema.match(/^(model|enum) \w+ \{[^]*?^\}/gm);
    expect(models(variant)).toEqual(models(read(SQLITE_SCHEMA)));
  });

  it("has a migration history with the same migrations as SQLite's, so both providers evolve together", () => {
    expect(migrationNames("prisma/postgresql/migrations")).toEqual(migrationNames("prisma/migrations"));
    expect(read("prisma/postgresql/migrations/migration_lock.toml")).toContain(`provider = "postgresql"`);
  });
});
