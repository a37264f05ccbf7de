// What a database URL names: its provider and, for SQLite, its file. Apart from the adapters, so that reading a URL
// loads no driver.

import { rmSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { providerOf, redactUrl, type DatabaseProvider } from "../../src/config.ts";
import { MigrationError } from "../../src/db/migrations/errors.ts";

/** The provider of a URL to migrate; any other scheme is refused before anything is opened. */
export function databaseProvider(databaseUrl: string): DatabaseProvider {
  const provider = providerOf(databaseUrl);
  if (provider !== undefined) return provider;
  throw new MigrationError(
    "UNSUPPORTED_DATABASE",
    `Cannot migrate "${redactUrl(databaseUrl)}": only SQLite (file:<path>) and PostgreSQL (postgresql://…) URLs ` +
      "are supported. Set DATABASE_URL to something like file:./data/things.db.",
  );
}

/**
 * The file behind a `file:` URL, as Prisma reads it: relative to baseDir, query parameters
 * (`?connection_limit=1`) ignored.
 */
export function sqliteFilePath(databaseUrl: string, baseDir: string): string {
  const withoutQuery = databaseUrl.replace(/\?.*$/, "");
  const path = withoutQuery.startsWith("file://") ? fileURLToPath(withoutQuery) : withoutQuery.slice("file:".length);
  return isAbsolute(path) ? path : resolve(baseDir, path);
}

/** Deletes a SQLite database with its journal files; native `migrate reset` drops the file too (tools/prisma-offline/README.md W7). */
export function removeSqliteFile(path: string): void {
  for (const suffix of ["", "-journal", "-wal", "-shm"]) rmSync(path + suffix, { force: true });
}
