// adapter-pg for the wasm schema engine, with the fixes it needs; imported by adapters.ts only for a PostgreSQL URL.

import { randomUUID } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { postgresPoolConfig, postgresSchema, quoteIdentifier } from "../../src/db/postgres.ts";
import { withDatabaseName, withPostgresClient } from "../../src/db/postgres-admin.ts";

/**
 * adapter-pg for the engine, with two fixes (tools/prisma-offline/README.md W6, W5). Its own connectToShadowDb lets
 * the connection string's database win over the temporary one, so the engine would replay the history into the
 * real database; here the shadow is a fresh `prisma_migrate_shadow_db_<uuid>` reached by its own URL, dropped after
 * its pool is closed. And the engine's describe queries return pg_catalog "char" columns (OID 18), which the
 * adapter cannot decode; they are read as text.
 */
export function postgresFactory(databaseUrl: string): SqlMigrationAwareDriverAdapterFactory {
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
