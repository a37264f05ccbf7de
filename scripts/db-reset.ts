// `npm run db:reset [-- --force]`: recreates the development database in DATABASE_URL and applies every migration.
// A SQLite file is deleted (with its journal files) and migrated again. A PostgreSQL database is dropped and created
// again only once someone typed its name at the prompt, or with --force; without a terminal to ask on, --force is
// required, so a stray CI step or script cannot drop a database by accident.

import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import { ConfigError, readDatabaseUrl } from "../src/config.ts";
import { MigrationError, migrateDatabase, sqliteFilePath } from "../src/db/migrations/index.ts";
import { databaseName, describePostgres, quoteIdentifier } from "../src/db/postgres.ts";
import { withDatabaseName, withPostgresClient } from "../src/db/postgres-admin.ts";
import { isUnreachable } from "../src/db/unreachable.ts";
import { removeSqliteFile } from "../tools/prisma-offline/database-url.ts";

class ResetRefused extends Error {}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { force: { type: "boolean", default: false } } });
  const { provider, url } = readDatabaseUrl();
  if (provider === "sqlite") {
    const file = sqliteFilePath(url, process.cwd());
    removeSqliteFile(file);
    console.log(`Deleted ${file}`);
  } else {
    await recreatePostgresDatabase(url, values.force);
  }
  const { applied } = await migrateDatabase({ databaseUrl: url });
  for (const name of applied) console.log(`Applied migration ${name}`);
}

async function recreatePostgresDatabase(url: string, force: boolean): Promise<void> {
  const name = databaseName(url);
  // DROP DATABASE runs from the maintenance database, which therefore cannot be the one dropped.
  if (name === "postgres") throw new ResetRefused('Refusing to drop the maintenance database "postgres".');
  if (!force) await confirm(name, describePostgres(url));
  try {
    await withPostgresClient(withDatabaseName(url, "postgres"), async (client) => {
      await client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
      await client.query(`CREATE DATABASE ${quoteIdentifier(name)}`);
    });
  } catch (error) {
    if (!isUnreachable(error)) throw error;
    throw new ResetRefused(`Cannot reach PostgreSQL at ${describePostgres(url)}: ${(error as Error).message}`);
  }
  console.log(`Dropped and created database "${name}"`);
}

async function confirm(name: string, where: string): Promise<void> {
  if (!process.stdin.isTTY) {
    throw new ResetRefused(
      `Refusing to drop ${where} without confirmation: no terminal to ask on. Pass --force to drop it anyway.`,
    );
  }
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await prompt.question(`This drops ${where} and every row in it. Type "${name}" to confirm: `);
    if (answer.trim() !== name) throw new ResetRefused("Not confirmed; nothing was dropped.");
  } finally {
    prompt.close();
  }
}

try {
  await main();
  // Explicit exit: a PostgreSQL apply leaves a wasm timer that would keep the process alive ~10 s
  // (tools/prisma-offline/README.md W8).
  process.exit(0);
} catch (error) {
  const known = error instanceof ResetRefused || error instanceof MigrationError || error instanceof ConfigError;
  console.error(known ? `Reset failed: ${error.message}` : error);
  process.exit(1);
}
