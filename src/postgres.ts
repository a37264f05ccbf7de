// PostgreSQL: pg's connection pool through Prisma's driver adapter, with the pool settings from the configuration,
// and the few URL helpers the migrations and tests share.
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";
import type { PostgresSettings } from "./config.ts";

/** How long opening a connection may take before the caller hears that the server is unreachable. */
const CONNECT_TIMEOUT_MS = 5000;

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

/** The adapter PrismaClient runs on: one pool per process, sized by DATABASE_POOL_SIZE. */
export function postgresAdapterFactory(
  databaseUrl: string,
  settings: Partial<PostgresSettings> = {},
): SqlDriverAdapterFactory {
  const schema = postgresSchema(databaseUrl);
  return new PrismaPg(postgresPoolConfig(databaseUrl, settings), schema === undefined ? undefined : { schema });
}

/** The same server and credentials, another database (a shadow database, the `postgres` maintenance database). */
export function withDatabaseName(databaseUrl: string, database: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

export function databaseName(databaseUrl: string): string {
  return decodeURIComponent(new URL(databaseUrl).pathname.slice(1)) || "postgres";
}

/** host:port/database, for logs and messages: never the credentials. */
export function describePostgres(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  const schema = postgresSchema(databaseUrl);
  return `${url.hostname}:${url.port || 5432}/${databaseName(databaseUrl)}${schema ? ` (schema ${schema})` : ""}`;
}

export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Runs `use` on one short-lived connection (not the app's pool). */
export async function withPostgresClient<T>(databaseUrl: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  // A connection the server drops later would otherwise be an unhandled 'error' event that kills the process.
  client.on("error", () => {});
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** Runs `work` while holding a session-level advisory lock on its own connection; other holders wait. */
export async function withAdvisoryLock<T>(databaseUrl: string, key: number, work: () => Promise<T>): Promise<T> {
  return withPostgresClient(databaseUrl, async (client) => {
    await client.query("SELECT pg_advisory_lock($1)", [key]);
    try {
      return await work();
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [key]);
    }
  });
}

/** SQLSTATE 3D000: the database named in the URL does not exist. */
export function isMissingDatabase(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && error.code === "3D000";
}

/**
 * The server cannot be reached or refuses us: nothing listens, DNS fails, it is starting or shutting down, the
 * credentials or the database are wrong. Checked by Node/pg error codes, the adapter's error kinds and Prisma's codes.
 */
export function isUnreachable(error: unknown): boolean {
  const text = error instanceof Error ? `${error.message} ${String((error as { code?: unknown }).code)}` : String(error);
  // P1000–P1003, P1017: Prisma's codes for the same (the schema engine reports these).
  return /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ECONNRESET|timeout expired|Connection terminated|Can't reach database server|\bP100[0-3]\b|\bP1017\b|57P0[1-3]|28P01|28000|3D000|DatabaseDoesNotExist|DatabaseNotReachable|AuthenticationFailed|SocketTimeout/i.test(
    text,
  );
}
