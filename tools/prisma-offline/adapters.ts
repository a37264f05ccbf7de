// Driver adapter factories for the wasm schema engine, chosen by the database URL scheme.

import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { randomUUID } from "node:crypto";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { postgresPoolConfig, postgresSchema, quoteIdentifier } from "../../src/db/postgres.ts";
import { withDatabaseName, withPostgresClient } from "../../src/db/postgres-admin.ts";
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
      return { provider, factory: postgresFactory(databaseUrl) };
  }
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

/**
 * adapter-pg for the engine, with two fixes (tools/prisma-offline/README.md W6, W5). Its own connectToShadowDb lets
 * the connection string's database win over the temporary one, so the engine would replay the history into the
 * real database; here the shadow is a fresh `prisma_migrate_shadow_db_<uuid>` reached by its own URL, dropped after
 * its pool is closed. And the engine's describe queries return pg_catalog "char" columns (OID 18), which the
 * adapter cannot decode; they are read as text.
 */
function postgresFactory(databaseUrl: string): SqlMigrationAwareDriverAdapterFactory {
  const schema = postgresSchema(databaseUrl);
  const options = schema === undefined ? undefined : { schema };
  const connectTo = async (url: string) =>
    charColumnsAsText(await new PrismaPg(postgresPoolConfig(url), options).connect());
  return {
    provider: "postgres",
    adapterName: "@prisma/adapter-pg",
    connect: () => connectTo(databaseUrl),
    connectToShadowDb: async () => {
      const shadow = `prisma_migrate_shadow_db_${randomUUID()}`;
      await withPostgresClient(databaseUrl, (client) => client.query(`CREATE DATABASE ${quoteIdentifier(shadow)}`));
      const adapter = await connectTo(withDatabaseName(databaseUrl, shadow));
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        await dispose();
        await withPostgresClient(databaseUrl, (client) =>
          client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(shadow)} WITH (FORCE)`),
        );
      };
      return adapter;
    },
  };
}

interface PgResult {
  fields: { dataTypeID: number }[];
}

/** pg's `"char"` (OID 18) becomes `text` (OID 25) before the adapter maps column types (tools/prisma-offline/README.md W5). */
function charColumnsAsText<T extends SqlDriverAdapter>(adapter: T): T {
  // performIO is TypeScript-private in adapter-pg 7.10.1 but an ordinary method at run time; the adapter calls it
  // through `this`, so an own property takes precedence. Re-check when upgrading the adapter.
  const io = adapter as unknown as { performIO(query: unknown): Promise<PgResult> };
  const performIO = io.performIO.bind(adapter);
  io.performIO = async (query) => {
    const result = await performIO(query);
    for (const field of result.fields) if (field.dataTypeID === 18) field.dataTypeID = 25;
    return result;
  };
  return adapter;
}
