// `npm run db:migration -- --name <name>`: one command for a schema change. Diffs prisma/schema.prisma against both
// committed histories and writes the migration for SQLite and PostgreSQL under the same directory name, derives the
// PostgreSQL schema, then regenerates both Prisma clients and the GraphQL schema / typed documents (Prisma 7's
// `migrate dev` no longer runs generate). Refuses, writing nothing, when the two histories would diverge.
//
// PostgreSQL's SQL needs a reachable server (the history is replayed in a temporary database there): --postgres-url,
// else DATABASE_URL when it is a PostgreSQL URL. Without one, the SQLite migration is written and the command that
// adds PostgreSQL's later (`--postgres-only <directory>`) is printed.

import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { PRISMA_PATHS, providerOf } from "../src/config.ts";
import { postgresqlSchema } from "./db-schema.ts";
import {
  compareHistories,
  describeDivergence,
  MigrationAuthoringError,
  pendingMigrationSql,
  PostgresUnreachableError,
} from "./migration-histories.ts";

/** Letters, digits and underscores, as Prisma names migrations; bounded so directory names stay readable. */
const MIGRATION_NAME = /^[A-Za-z0-9_]{1,64}$/;
const USAGE =
  "Usage: npm run db:migration -- --name <name> [--postgres-url <url>]\n" +
  "       npm run db:migration -- --postgres-only <migration directory> [--postgres-url <url>]";

interface Options {
  root: string;
  postgresUrl: string | undefined;
  /** Where postgresUrl came from, to print a command that will find it again. */
  postgresUrlFrom: "flag" | "DATABASE_URL" | undefined;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      name: { type: "string" },
      "postgres-only": { type: "string" },
      "postgres-url": { type: "string" },
      // The project to work on; tests point it at a temporary copy.
      root: { type: "string" },
    },
  });
  const databaseUrl = process.env.DATABASE_URL;
  const fromEnv = databaseUrl !== undefined && providerOf(databaseUrl) === "postgresql" ? databaseUrl : undefined;
  const options: Options = {
    root: resolve(values.root ?? join(fileURLToPath(import.meta.url), "../..")),
    postgresUrl: values["postgres-url"] ?? fromEnv,
    postgresUrlFrom: values["postgres-url"] !== undefined ? "flag" : fromEnv !== undefined ? "DATABASE_URL" : undefined,
  };
  if (values["postgres-only"] !== undefined && values.name === undefined) {
    return writePostgresOnly(options, values["postgres-only"]);
  }
  if (values.name === undefined || values["postgres-only"] !== undefined) throw new MigrationAuthoringError(USAGE);
  if (!MIGRATION_NAME.test(values.name)) {
    throw new MigrationAuthoringError(
      `--name must be 1 to 64 letters, digits or underscores (e.g. add_thing_note), got "${values.name}".`,
    );
  }
  return writeBoth(options, values.name);
}

async function writeBoth(options: Options, name: string): Promise<void> {
  const { root } = options;
  const histories = compareHistories(root);
  if (histories.onlyInSqlite.length > 0 || histories.onlyInPostgresql.length > 0) {
    throw new MigrationAuthoringError(`${describeDivergence(histories)} ${repairHint(histories)}`);
  }
  const directory = `${utcTimestamp()}_${name}`;
  const last = histories.sqlite.at(-1);
  if (last !== undefined && directory.localeCompare(last) <= 0) {
    throw new MigrationAuthoringError(
      `The new migration ${directory} would sort before the latest one, ${last} (is the clock right?); nothing written.`,
    );
  }
  const sqliteSchema = readFileSync(join(root, PRISMA_PATHS.sqlite.schema), "utf-8");
  const sqliteSql = await pendingMigrationSql({ root, provider: "sqlite", schema: sqliteSchema });
  if (sqliteSql === undefined) {
    console.log(`No schema changes: ${PRISMA_PATHS.sqlite.schema} matches its migrations; nothing written.`);
    return;
  }
  const pgSchema = postgresqlSchema(sqliteSchema);
  const postgres = await postgresSql(options, pgSchema);
  if (postgres.sql === undefined && postgres.unreachable === undefined) {
    throw new MigrationAuthoringError(
      `${PRISMA_PATHS.postgresql.migrations} already has these changes but ${PRISMA_PATHS.sqlite.migrations} does ` +
        "not: the two histories have diverged; nothing written. Compare their migration.sql files.",
    );
  }

  writeMigration(root, "sqlite", directory, sqliteSql);
  writeFileSync(join(root, PRISMA_PATHS.postgresql.schema), pgSchema);
  if (postgres.sql !== undefined) writeMigration(root, "postgresql", directory, postgres.sql);
  regenerate(root);

  if (postgres.unreachable !== undefined) {
    console.log(
      `PostgreSQL: not written (${postgres.unreachable}). With a PostgreSQL server reachable, run:\n` +
        `  ${postgresOnlyCommand(options, directory)}`,
    );
  }
  console.log("Review the SQL before committing: the offline engine prints no data-loss warnings.");
}

/** For a history whose only difference is SQLite's latest migration: the PostgreSQL half of that migration. */
async function writePostgresOnly(options: Options, directory: string): Promise<void> {
  const { root } = options;
  const histories = compareHistories(root);
  const isLatestSqliteOnly =
    histories.onlyInPostgresql.length === 0 &&
    histories.onlyInSqlite.length === 1 &&
    histories.onlyInSqlite[0] === directory &&
    histories.sqlite.at(-1) === directory;
  if (!isLatestSqliteOnly) {
    const state =
      histories.onlyInSqlite.length === 0 && histories.onlyInPostgresql.length === 0
        ? "The two migration histories are the same."
        : describeDivergence(histories);
    throw new MigrationAuthoringError(
      `--postgres-only takes the latest migration of ${PRISMA_PATHS.sqlite.migrations} when it is the only one ` +
        `missing from ${PRISMA_PATHS.postgresql.migrations}; ${directory} is not. ${state} Nothing written.`,
    );
  }
  const sqliteSchema = readFileSync(join(root, PRISMA_PATHS.sqlite.schema), "utf-8");
  // Otherwise PostgreSQL's migration would carry changes SQLite's lacks.
  if ((await pendingMigrationSql({ root, provider: "sqlite", schema: sqliteSchema })) !== undefined) {
    throw new MigrationAuthoringError(
      `${PRISMA_PATHS.sqlite.schema} has changes that are not in ${PRISMA_PATHS.sqlite.migrations} yet; create ` +
        `their migration with --name first, or undo them. Nothing written.`,
    );
  }
  const pgSchema = postgresqlSchema(sqliteSchema);
  const postgres = await postgresSql(options, pgSchema);
  if (postgres.unreachable !== undefined) {
    throw new MigrationAuthoringError(`PostgreSQL's migration needs a reachable server: ${postgres.unreachable}.`);
  }
  if (postgres.sql === undefined) {
    throw new MigrationAuthoringError(
      `${PRISMA_PATHS.postgresql.migrations} already matches the schema; ${directory} has no changes for ` +
        "PostgreSQL, so the histories have diverged. Nothing written.",
    );
  }
  writeFileSync(join(root, PRISMA_PATHS.postgresql.schema), pgSchema);
  writeMigration(root, "postgresql", directory, postgres.sql);
}

async function postgresSql(options: Options, schema: string): Promise<{ sql?: string; unreachable?: string }> {
  try {
    return {
      sql: await pendingMigrationSql({
        root: options.root,
        provider: "postgresql",
        schema,
        postgresUrl: options.postgresUrl,
      }),
    };
  } catch (error) {
    if (error instanceof PostgresUnreachableError) return { unreachable: error.message };
    throw error;
  }
}

function writeMigration(root: string, provider: "sqlite" | "postgresql", directory: string, sql: string): void {
  const dir = join(root, PRISMA_PATHS[provider].migrations, directory);
  mkdirSync(dir);
  writeFileSync(join(dir, "migration.sql"), sql);
  console.log(`Wrote ${PRISMA_PATHS[provider].migrations}/${directory}/migration.sql`);
}

/** Both Prisma clients (`postinstall`), then the printed GraphQL schema and typed documents (`codegen`). */
function regenerate(root: string): void {
  for (const script of ["postinstall", "codegen"]) {
    const result = spawnSync("npm", ["run", "--silent", script], { cwd: root, stdio: "inherit" });
    if (result.status !== 0) {
      throw new MigrationAuthoringError(
        `The migration is written, but \`npm run ${script}\` failed (exit ${result.status ?? result.signal}); ` +
          "fix the cause above and run `npm run generate`.",
      );
    }
  }
  console.log("Regenerated both Prisma clients and the GraphQL schema");
}

function postgresOnlyCommand(options: Options, directory: string): string {
  const command = `npm run db:migration -- --postgres-only ${directory}`;
  if (options.postgresUrlFrom === "DATABASE_URL") return command;
  return `${command} --postgres-url ${options.postgresUrl === undefined ? "postgresql://USER@HOST:5432/DATABASE" : withoutPassword(options.postgresUrl)}`;
}

/** A password is not echoed; the reader puts theirs back. */
function withoutPassword(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  if (url.password !== "") url.password = "PASSWORD";
  return url.toString();
}

function repairHint({ onlyInSqlite, onlyInPostgresql, sqlite }: ReturnType<typeof compareHistories>): string {
  const [only] = onlyInSqlite;
  if (onlyInPostgresql.length === 0 && onlyInSqlite.length === 1 && only === sqlite.at(-1)) {
    return `Add PostgreSQL's half first: npm run db:migration -- --postgres-only ${only}. Nothing written.`;
  }
  return "Give every migration the same directory name in both histories first. Nothing written.";
}

/** UTC YYYYMMDDHHMMSS, as Prisma names migration directories. */
function utcTimestamp(): string {
  return new Date().toISOString().replace(/\D/g, "").slice(0, 14);
}

try {
  await main();
  // Explicit exit: a PostgreSQL engine leaves a wasm timer that would keep the process alive ~10 s
  // (tools/prisma-offline/README.md W8).
  process.exit(0);
} catch (error) {
  console.error(error instanceof MigrationAuthoringError ? error.message : error);
  process.exit(1);
}
