// One-off PostgreSQL connections outside the app's pool, for administration: migrations (advisory lock, shadow
// databases), tests and the benchmark (scratch databases), and the checks that classify connection failures.
import pg from "pg";
import { CONNECT_TIMEOUT_MS } from "./postgres.ts";

/** The same server and credentials, another database (a shadow database, the `postgres` maintenance database). */
export function withDatabaseName(databaseUrl: string, database: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
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

/**
 * Runs `work` while holding a session-level advisory lock on its own connection (which `work` may query); other
 * holders wait.
 */
export async function withAdvisoryLock<T>(
  databaseUrl: string,
  key: number,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  return withPostgresClient(databaseUrl, async (client) => {
    await client.query("SELECT pg_advisory_lock($1)", [key]);
    try {
      return await work(client);
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [key]);
    }
  });
}

/** SQLSTATE 3D000: the database named in the URL does not exist. */
export function isMissingDatabase(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && error.code === "3D000";
}
