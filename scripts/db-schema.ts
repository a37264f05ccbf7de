// Derives prisma/postgresql/schema.prisma from prisma/schema.prisma, the one place models are written.
//
// A Prisma schema has exactly one datasource provider, and the client generated from it only accepts adapters of
// that provider; so PostgreSQL needs a schema of its own. It is this file's output, never edited by hand:
// `npm run db:schema` rewrites it, and test/schema-variants.test.ts fails when the committed copy differs.
// Only the datasource provider and the generated client's location change; the Pothos types are generated once,
// from the SQLite schema (the two clients have the same model API). Models must therefore not use
// provider-specific native types (`@db.…`); the per-provider `migrate diff` drift tests would reject them.

import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const SQLITE_SCHEMA = "prisma/schema.prisma";
export const POSTGRESQL_SCHEMA = "prisma/postgresql/schema.prisma";

const HEADER =
  "// GENERATED from prisma/schema.prisma by `npm run db:schema`; do not edit (edit prisma/schema.prisma instead).\n" +
  "// The same models for PostgreSQL; migrations in prisma/postgresql/migrations, client in src/generated/prisma-postgresql.\n";

/** A top-level block: `generator client { … }`, `datasource db { … }`, `model Thing { … }`. */
const BLOCK = /^(\w+)\s+(\w+)\s*\{[^]*?^\}\n?/gm;

export function postgresqlSchema(sqliteSchema: string): string {
  const firstBlock = sqliteSchema.search(/^\w+\s+\w+\s*\{/m);
  if (firstBlock < 0) throw new Error(`${SQLITE_SCHEMA} has no blocks`);
  const blocks = sqliteSchema.slice(firstBlock).replace(BLOCK, (block: string, kind: string, name: string) => {
    if (kind === "generator" && name === "pothos") return "";
    if (kind === "generator" && name === "client") {
      return replaceOnce(block, /^(\s*output\s*=\s*)"[^"]*"/m, `$1"../../src/generated/prisma-postgresql"`);
    }
    if (kind === "datasource") return replaceOnce(block, /^(\s*provider\s*=\s*)"sqlite"/m, `$1"postgresql"`);
    return block;
  });
  return `${HEADER}\n${blocks.replace(/\n{3,}/g, "\n\n")}`;
}

function replaceOnce(text: string, pattern: RegExp, replacement: string): string {
  if (!pattern.test(text)) throw new Error(`${SQLITE_SCHEMA}: expected ${pattern} in\n${text}`);
  return text.replace(pattern, replacement);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(fileURLToPath(import.meta.url), "../..");
  writeFileSync(
    resolve(root, POSTGRESQL_SCHEMA),
    postgresqlSchema(readFileSync(resolve(root, SQLITE_SCHEMA), "utf-8")),
  );
  console.log(`Wrote ${POSTGRESQL_SCHEMA}`);
}
