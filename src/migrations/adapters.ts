// Driver adapter factories for the wasm schema engine, chosen by the database URL scheme.

import { mkdirSync, rmSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { MigrationError } from "./errors.ts";

/** Connector names as Prisma writes them in migration_lock.toml and createMigration's `connectorType`. */
export type DatabaseProvider = "sqlite" | "postgresql";

export interface DatabaseTarget {
  provider: DatabaseProvider;
  factory: SqlMigrationAwareDriverAdapterFactory;
}

/**
 * The single place that maps a URL to an adapter. PostgreSQL (a later issue) plugs in here: a factory on
 * @prisma/adapter-pg with its own temp-database shadow (prisma-offline.md P3, P4).
 */
export function createDatabaseTarget(databaseUrl: string, baseDir: string): DatabaseTarget {
  const provider = databaseProvider(databaseUrl);
  switch (provider) {
    case "sqlite":
      return { provider, factory: sqliteFactory(sqliteFilePath(databaseUrl, baseDir)) };
    case "postgresql":
      throw new MigrationError(
        "UNSUPPORTED_DATABASE",
        "PostgreSQL migrations are not supported by the offline migration engine yet (it needs @prisma/adapter-pg). " +
          "Use a SQLite URL such as file:./data/things.db.",
      );
  }
}

export function databaseProvider(databaseUrl: string): DatabaseProvider {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(databaseUrl)?.[1]?.toLowerCase();
  if (scheme === "file") return "sqlite";
  if (scheme === "postgres" || scheme === "postgresql") return "postgresql";
  throw new MigrationError(
    "UNSUPPORTED_DATABASE",
    `Cannot migrate "${redactUrl(databaseUrl)}": only SQLite URLs (file:<path>) are supported. ` +
      "Set DATABASE_URL to something like file:./data/things.db.",
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

/** Deletes a SQLite database with its journal files; native `migrate reset` drops the file too (P5). */
export function removeSqliteFile(path: string): void {
  for (const suffix of ["", "-journal", "-wal", "-shm"]) rmSync(path + suffix, { force: true });
}

function sqliteFactory(path: string): SqlMigrationAwareDriverAdapterFactory {
  const factory = new PrismaBetterSqlite3({ url: path });
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: () => {
      // better-sqlite3 creates a missing file but not its directory.
      mkdirSync(dirname(path), { recursive: true });
      return factory.connect();
    },
    connectToShadowDb: async () => scriptsThroughExecuteScript(await factory.connectToShadowDb()),
  };
}

/**
 * P1: for the SQLite shadow database the engine sends whole multi-statement migration scripts through
 * executeRaw, which better-sqlite3 refuses ("more than one statement"); parameterless calls go to executeScript.
 */
function scriptsThroughExecuteScript(adapter: SqlDriverAdapter): SqlDriverAdapter {
  return new Proxy(adapter, {
    get(target, property) {
      if (property === "executeRaw") {
        return async (query: Parameters<SqlDriverAdapter["executeRaw"]>[0]) => {
          if (query.args.length > 0) return target.executeRaw(query);
          await target.executeScript(query.sql);
          return 0;
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      // The adapter is a class with #private fields: its methods must run with the real instance as `this`.
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, "//***@");
}
