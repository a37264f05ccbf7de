// The database a test runs on, provider-neutral: TEST_DATABASE=sqlite (default: a temporary file) or
// TEST_DATABASE=postgres (a new database per call on TEST_POSTGRES_URL's server, dropped afterwards, so runs and
// test files never collide). Raw access goes around the app, to check what really is in the database.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import type { DatabaseProvider } from "../../src/config.ts";
import { quoteIdentifier } from "../../src/db/postgres.ts";
import { withDatabaseName, withPostgresClient } from "../../src/db/postgres-admin.ts";

export const TEST_DATABASE = readTestDatabase();
export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL || "postgresql://postgres@127.0.0.1:5432/test";
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL || "redis://127.0.0.1:6379";
export const testProvider: DatabaseProvider = TEST_DATABASE === "postgres" ? "postgresql" : "sqlite";

function readTestDatabase(): "sqlite" | "postgres" {
  const value = process.env.TEST_DATABASE || "sqlite";
  if (value !== "sqlite" && value !== "postgres")
    throw new Error(`TEST_DATABASE must be sqlite or postgres, got "${value}"`);
  return value;
}

export interface Thing {
  id: number;
  text: string;
}

/** A row of the trash, with the Deletion it belongs to. */
export interface TrashedRow extends Thing {
  deletionId: string;
}

/** A Deletion: the id undoDelete takes, and how many rows it moved. */
export interface DeletionRow {
  id: string;
  count: number;
}

/** Direct access to a test database, the same for both providers. */
export interface AuditRow {
  subject: string;
  operation: string;
  idCount: number;
  dryRun: boolean;
}

const AUDIT_QUERY = `SELECT "subject", "operation", "idCount", "dryRun" FROM "DeleteAudit" ORDER BY "id"`;
const TRASH_QUERY = `SELECT "id", "text", "deletionId" FROM "TrashedThing" ORDER BY "id"`;
const DELETION_QUERY = `SELECT "id", "count" FROM "Deletion" ORDER BY "id"`;
const CLEAR = [`DELETE FROM "Thing"`, `DELETE FROM "TrashedThing"`, `DELETE FROM "Deletion"`];

export interface RawDatabase {
  /** Rows of the Thing table, ordered by id. */
  things(): Promise<Thing[]>;
  /** Inserts Things in one statement (not through the API) and returns their ids, in the order of `texts`. */
  seed(texts: readonly string[]): Promise<number[]>;
  /** Rows of the trash, ordered by id. */
  trashed(): Promise<TrashedRow[]>;
  /** Rows of the Deletion table, ordered by id. */
  deletions(): Promise<DeletionRow[]>;
  /** Deletes every Thing, live or trashed, and every Deletion. */
  clear(): Promise<void>;
  /** Makes the database refuse to delete the matching row (a trigger raising an error); returns the undo. */
  refuseDeleteOf(row: RowMatch): Promise<() => Promise<void>>;
  /** Makes the database refuse to insert a row with this text (a trigger raising an error); returns the undo. */
  refuseInsertOf(row: { text: string }): Promise<() => Promise<void>>;
  /** Rows of the delete audit, oldest first. */
  audit(): Promise<AuditRow[]>;
  /** Sets the id sequence (sqlite_sequence, or the serial's sequence) so that the next Thing gets `id + 1`. */
  setLastThingId(id: number): Promise<void>;
  /** Any statement without parameters, e.g. to tamper with _prisma_migrations. */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

/** A new, empty database; `drop` removes it. */
export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function createScratchDatabase(provider: DatabaseProvider = testProvider): Promise<ScratchDatabase> {
  if (provider === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "things-test-"));
    return { url: `file:${join(dir, "things.db")}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `things_test_${randomBytes(6).toString("hex")}`;
  await withPostgresClient(TEST_POSTGRES_URL, (client) => client.query(`CREATE DATABASE ${quoteIdentifier(name)}`));
  return {
    url: withDatabaseName(TEST_POSTGRES_URL, name),
    // FORCE: a server process a test killed may still hold connections.
    drop: () =>
      withPostgresClient(TEST_POSTGRES_URL, async (client) => {
        await client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
      }),
  };
}

/** Which row a refusing trigger protects. */
export type RowMatch = { id: number } | { text: string };

let triggers = 0;

/** The trigger's condition on `row` (SQLite's old/new, PostgreSQL's OLD/NEW), with `quote` making a SQL literal. */
function rowCondition(row: RowMatch, record: string, quote: (text: string) => string): string {
  return "id" in row ? `${record}.id = ${Number(row.id)}` : `${record}.text = ${quote(row.text)}`;
}

export async function openRawDatabase(url: string): Promise<RawDatabase> {
  return url.startsWith("file:") ? openSqlite(url.slice("file:".length)) : openPostgres(url);
}

function openSqlite(file: string): RawDatabase {
  const db = new BetterSqlite3(file);
  const insert = db.prepare<[string], { id: number }>(`INSERT INTO "Thing" ("text") VALUES (?) RETURNING "id"`);
  const seed = db.transaction((texts: readonly string[]) => texts.map((text) => insert.get(text)!.id));
  const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;
  const refuse = (operation: "DELETE" | "INSERT", condition: string) => {
    const name = `refuse_${operation.toLowerCase()}_${++triggers}`;
    const raise = "BEGIN SELECT RAISE(ABORT, 'protected'); END";
    db.exec(`CREATE TRIGGER ${name} BEFORE ${operation} ON "Thing" WHEN ${condition} ${raise}`);
    return async () => void db.exec(`DROP TRIGGER ${name}`);
  };
  return {
    things: async () => db.prepare<[], Thing>(`SELECT "id", "text" FROM "Thing" ORDER BY "id"`).all(),
    seed: async (texts) => seed(texts),
    trashed: async () => db.prepare<[], TrashedRow>(TRASH_QUERY).all(),
    deletions: async () => db.prepare<[], DeletionRow>(DELETION_QUERY).all(),
    clear: async () => void db.exec(CLEAR.join(";")),
    refuseDeleteOf: async (row) => refuse("DELETE", rowCondition(row, "old", quote)),
    refuseInsertOf: async (row) => refuse("INSERT", rowCondition(row, "new", quote)),
    // SQLite stores booleans as 0/1.
    audit: async () =>
      db
        .prepare<[], AuditRow>(AUDIT_QUERY)
        .all()
        .map((row) => ({ ...row, dryRun: Boolean(row.dryRun) })),
    // AUTOINCREMENT hands out one more than the larger of this and the largest id in the table.
    setLastThingId: async (id) =>
      void db.transaction(() => {
        db.prepare(`DELETE FROM sqlite_sequence WHERE name = 'Thing'`).run();
        db.prepare(`INSERT INTO sqlite_sequence (name, seq) VALUES ('Thing', ?)`).run(id);
      })(),
    exec: async (sql) => void db.exec(sql),
    close: async () => void db.close(),
  };
}

async function openPostgres(url: string): Promise<RawDatabase> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // PostgreSQL triggers run a function; it raises for the protected row and lets every other row go on (a BEFORE
  // trigger returning the row it was given).
  const refuse = async (operation: "DELETE" | "INSERT", record: "OLD" | "NEW", row: RowMatch) => {
    const name = `refuse_${operation.toLowerCase()}_${++triggers}`;
    await client.query(
      `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ` +
        `IF ${rowCondition(row, record, pg.escapeLiteral)} THEN RAISE EXCEPTION 'protected'; END IF; ` +
        `RETURN ${record}; END $$`,
    );
    await client.query(`CREATE TRIGGER ${name} BEFORE ${operation} ON "Thing" FOR EACH ROW EXECUTE FUNCTION ${name}()`);
    return async () => void (await client.query(`DROP TRIGGER ${name} ON "Thing"; DROP FUNCTION ${name}()`));
  };
  return {
    things: async () => (await client.query<Thing>(`SELECT "id", "text" FROM "Thing" ORDER BY "id"`)).rows,
    // unnest keeps the array's order and nextval() is taken row by row, so the ids ascend in the order of `texts`.
    seed: async (texts) =>
      (
        await client.query<{ id: number }>(`INSERT INTO "Thing" ("text") SELECT unnest($1::text[]) RETURNING "id"`, [
          texts,
        ])
      ).rows
        .map((row) => row.id)
        .sort((a, b) => a - b),
    trashed: async () => (await client.query<TrashedRow>(TRASH_QUERY)).rows,
    deletions: async () => (await client.query<DeletionRow>(DELETION_QUERY)).rows,
    clear: async () => void (await client.query(CLEAR.join(";"))),
    refuseDeleteOf: (row) => refuse("DELETE", "OLD", row),
    refuseInsertOf: (row) => refuse("INSERT", "NEW", row),
    audit: async () => (await client.query<AuditRow>(AUDIT_QUERY)).rows,
    setLastThingId: async (id) => void (await client.query(`SELECT setval('"Thing_id_seq"', $1)`, [id])),
    exec: async (sql) => void (await client.query(sql)),
    close: () => client.end(),
  };
}

/**
 * Resolves once no PostgreSQL session with this application_name (DATABASE_APPLICATION_NAME) is left. A killed
 * server's backends first finish what they were running (a COMMIT already sent still commits) and then roll back
 * and go: only after that is the outcome of its last transaction settled. On SQLite a dead process holds nothing.
 */
export async function sessionsGone(databaseUrl: string, applicationName: string, timeoutMs = 20_000): Promise<void> {
  if (databaseUrl.startsWith("file:")) return;
  await withPostgresClient(databaseUrl, async (client) => {
    const deadline = Date.now() + timeoutMs;
    const count = `SELECT count(*)::int AS count FROM pg_stat_activity WHERE application_name = $1`;
    while ((await client.query<{ count: number }>(count, [applicationName])).rows[0]!.count > 0) {
      if (Date.now() > deadline) throw new Error(`sessions of ${applicationName} still open after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  });
}

/**
 * Resolves once at least `count` Redis connections are subscribed to `channel`. An event bus (or a server's SSE
 * stream) only hears what is published after Redis confirmed its SUBSCRIBE, which no response tells the test.
 */
export async function redisSubscribers(channel: string, count: number): Promise<void> {
  const { Redis } = await import("ioredis");
  const redis = new Redis(TEST_REDIS_URL);
  try {
    for (;;) {
      const [, subscribers] = (await redis.pubsub("NUMSUB", channel)) as [string, number];
      if (subscribers >= count) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    redis.disconnect();
  }
}

/**
 * Whether a delete (or a move into or out of the trash) is under way and not committed, seen from outside the
 * server: on PostgreSQL a session of `applicationName` in a transaction that has sent a DELETE (or a trash move's
 * `WITH … DELETE`) or changed a row, on SQLite a held write lock (tried with
 * BEGIN IMMEDIATE, never waited for). Call it while the server lives: the SQLite probe connection is closed before
 * this returns, and closing the last connection to the file would checkpoint the WAL a restart should recover.
 */
export async function deleteInProgress(databaseUrl: string, applicationName: string): Promise<boolean> {
  if (!databaseUrl.startsWith("file:")) {
    const query =
      `SELECT count(*)::int AS count FROM pg_stat_activity WHERE application_name = $1 AND xact_start IS NOT NULL ` +
      `AND (backend_xid IS NOT NULL OR query LIKE 'DELETE%' OR query LIKE 'WITH%')`;
    const { rows } = await withPostgresClient(databaseUrl, (client) =>
      client.query<{ count: number }>(query, [applicationName]),
    );
    return rows[0]!.count > 0;
  }
  const db = new BetterSqlite3(databaseUrl.slice("file:".length), { timeout: 0 });
  try {
    db.exec("BEGIN IMMEDIATE");
    db.exec("ROLLBACK");
    return false;
  } catch (error) {
    if ((error as { code?: string }).code === "SQLITE_BUSY") return true;
    throw error;
  } finally {
    db.close();
  }
}

/** What the SQL a test expects looks like on the database under test. */
export const expectedSql = {
  /** `"id"` in the id set bound as one parameter (a regex source). */
  inIds:
    testProvider === "sqlite"
      ? String.raw`"id" IN \(SELECT value FROM json_each\(\?\)\)`
      : String.raw`"id" = ANY\(\$1::int\[\]\)`,
  /** The bind placeholders of an `IN (…)` list of `count` values (a regex source). */
  placeholders: (count: number) =>
    Array.from({ length: count }, (_, i) => (testProvider === "sqlite" ? String.raw`\?` : String.raw`\$${i + 1}`)).join(
      ",",
    ),
};

/**
 * Whether the servers a suite needs answer. Nothing is skipped silently: on a developer machine a suite without
 * them is skipped with a console.warn saying why; with CI=true it fails instead.
 */
export async function servicesAvailable(suite: string, services: readonly ("postgres" | "redis")[]): Promise<boolean> {
  const problems: string[] = [];
  for (const service of services) {
    const problem = service === "postgres" ? await postgresProblem() : await redisProblem();
    if (problem) problems.push(problem);
  }
  if (problems.length === 0) return true;
  const message = `${suite}: ${problems.join("; ")}`;
  if (process.env.CI === "true") throw new Error(`${message} (CI=true: required)`);
  console.warn(`SKIPPED ${message}. Start it (see .ci/run) to run this suite.`);
  return false;
}

async function postgresProblem(): Promise<string | undefined> {
  try {
    await withPostgresClient(TEST_POSTGRES_URL, (client) => client.query("SELECT 1"));
    return undefined;
  } catch (error) {
    return `PostgreSQL at ${TEST_POSTGRES_URL} is unreachable (${(error as Error).message})`;
  }
}

async function redisProblem(): Promise<string | undefined> {
  const { Redis } = await import("ioredis");
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on("error", () => {});
  try {
    await redis.connect();
    await redis.ping();
    return undefined;
  } catch (error) {
    return `Redis at ${TEST_REDIS_URL} is unreachable (${(error as Error).message})`;
  } finally {
    redis.disconnect();
  }
}
