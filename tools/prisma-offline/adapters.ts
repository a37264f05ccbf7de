// Driver adapter factories for the wasm schema engine, chosen by the database URL scheme. Each provider's driver is
// imported at its first connection, so a migrating start loads only the driver of its own database.

import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type { DatabaseProvider } from "../../src/config.ts";
import { databaseProvider, sqliteFilePath } from "./database-url.ts";

export interface DatabaseTarget {
  provider: DatabaseProvider;
  factory: SqlMigrationAwareDriverAdapterFactory;
}

/** The single place that maps a URL to an adapter. */
export function createDatabaseTarget(databaseUrl: string, baseDir: string): DatabaseTarget {
  const provider = databaseProvider(databaseUrl);
  switch (provider) {
    case "sqlite":
      return { provider, factory: sqliteFactory(sqliteFilePath(databaseUrl, baseDir)) };
    case "postgresql":
      return {
        provider,
        factory: loadedOnConnect("postgres", "@prisma/adapter-pg", async () =>
          (await import("./postgres-adapter.ts")).postgresFactory(databaseUrl),
        ),
      };
  }
}

/** A factory whose driver is imported at its first connection, not when the URL is read. */
function loadedOnConnect(
  provider: SqlMigrationAwareDriverAdapterFactory["provider"],
  adapterName: string,
  load: () => Promise<SqlMigrationAwareDriverAdapterFactory>,
): SqlMigrationAwareDriverAdapterFactory {
  let loaded: Promise<SqlMigrationAwareDriverAdapterFactory> | undefined;
  const factory = () => (loaded ??= load());
  return {
    provider,
    adapterName,
    connect: async () => (await factory()).connect(),
    connectToShadowDb: async () => (await factory()).connectToShadowDb(),
  };
}

function sqliteFactory(path: string): SqlMigrationAwareDriverAdapterFactory {
  return loadedOnConnect("sqlite", "@prisma/adapter-better-sqlite3", async () => {
    const { PrismaBetterSqlite3 } = await import("@prisma/adapter-better-sqlite3");
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
  });
}

/**
 * For the SQLite shadow database the engine sends whole multi-statement migration scripts through executeRaw,
 * which better-sqlite3 refuses ("more than one statement"); parameterless calls go to executeScript
 * (tools/prisma-offline/README.md W3).
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
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
