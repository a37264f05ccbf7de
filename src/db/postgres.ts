// The PostgreSQL pool: pg's connection pool through Prisma's driver adapter, with the pool settings from the configuration.
// One-off connections for administration (migrations, tests, the benchmark) are in postgres-admin.ts.
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";
import type { PostgresSettings } from "../config.ts";
import { auditRowInsert, shapeStatements, StatementNames } from "./postgres-wire.ts";

/** How long opening a connection may take before the caller hears that the server is unreachable. */
export const CONNECT_TIMEOUT_MS = 5000;

/**
 * pg options for a URL. pg lets parameters in the connection string win over these fields, so `?application_name=`
 * in DATABASE_URL still overrides DATABASE_APPLICATION_NAME. `?schema=` puts the tables in that schema: Prisma
 * qualifies its own queries with it and the raw SQL in thing-deletes.ts finds it on the search_path.
 */
export function postgresPoolConfig(databaseUrl: string, settings?: Partial<PostgresSettings>): pg.PoolConfig {
  const schema = postgresSchema(databaseUrl);
  return {
    connectionString: databaseUrl,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    ...(settings?.poolSize !== undefined && { max: settings.poolSize }),
    // 0 is pg's "no limit" too.
    ...(settings?.statementTimeoutMs !== undefined && { statement_timeout: settings.statementTimeoutMs }),
    ...(settings?.applicationName !== undefined && { application_name: settings.applicationName }),
    ...(schema !== undefined && { options: `-c search_path=${quoteIdentifier(schema)}` }),
  };
}

/** The `?schema=` of a PostgreSQL URL (Prisma's convention), if any. */
export function postgresSchema(databaseUrl: string): string | undefined {
  return new URL(databaseUrl).searchParams.get("schema") ?? undefined;
}

/** The counts pg keeps on its Pool (what the metrics read); the pool itself stays with the adapter. */
export interface PoolStats {
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
  readonly options: { readonly max?: number };
}

/**
 * The adapter PrismaClient runs on and its pool: one per process, sized by DATABASE_POOL_SIZE. The pool is made
 * here rather than by the adapter so its counts can be read (the metrics); the adapter still ends it on disconnect.
 */
export function postgresAdapterFactory(
  databaseUrl: string,
  settings: Partial<PostgresSettings> = {},
): { factory: SqlDriverAdapterFactory; pool: pg.Pool } {
  const schema = postgresSchema(databaseUrl);
  const pool = new pg.Pool(postgresPoolConfig(databaseUrl, settings));
  const names = new StatementNames();
  // Prisma's pg adapter qualifies every table with the URL's schema, or with public when it names none.
  const isAuditRow = auditRowInsert(quoteIdentifier(schema ?? "public"));
  pool.on("connect", (client) => shapeStatements(client, names, isAuditRow));
  return { factory: new PrismaPg(pool, { disposeExternalPool: true, ...(schema !== undefined && { schema }) }), pool };
}

/** host:port/database, for logs and messages: never the credentials. */
export function describePostgres(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  const schema = postgresSchema(databaseUrl);
  return `${url.hostname}:${url.port || 5432}/${databaseName(databaseUrl)}${schema ? ` (schema ${schema})` : ""}`;
}

export function databaseName(databaseUrl: string): string {
  return decodeURIComponent(new URL(databaseUrl).pathname.slice(1)) || "postgres";
}

export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
