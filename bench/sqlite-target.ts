// The embedded SQLite database as a benchmark target: seeding and checks through better-sqlite3, and the raw
// deletes that set the physical limit, once with the server's settings and once with SQLite's defaults.
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { floorPeer } from "./floor/peer.ts";
import { migrationScripts } from "./migrations.ts";
import type { BenchDatabase, RawDatabase, RawMethod, TargetFactory, TrashedCount } from "./target.ts";

const FLOOR_SCRIPT = fileURLToPath(new URL("./floor/sqlite-floor.ts", import.meta.url));

const MIGRATIONS_DIR = fileURLToPath(new URL("../prisma/migrations/", import.meta.url));
const BUSY_TIMEOUT_MS = 5000;
/** SQLite's own default when the build does not say (3.32+). */
const DEFAULT_MAX_VARIABLE_NUMBER = 32766;

interface SqliteSettings {
  label: string;
  pragmas: readonly string[];
}

/**
 * What src/db/sqlite.ts sets on the server's connection; kept in step by hand (it does not export its pragmas). The
 * SQLite floor (bench/floor/sqlite-floor.ts) runs with them too.
 */
export const SERVER_SETTINGS: SqliteSettings = {
  label: "WAL, synchronous=NORMAL (server's)",
  pragmas: ["journal_mode = WAL", "synchronous = NORMAL", "foreign_keys = ON", `busy_timeout = ${BUSY_TIMEOUT_MS}`],
};

/** SQLite's defaults: a rollback journal fsynced on every commit. */
const ROLLBACK_SETTINGS: SqliteSettings = {
  label: "rollback journal, synchronous=FULL",
  pragmas: ["journal_mode = DELETE", "synchronous = FULL", "foreign_keys = ON", `busy_timeout = ${BUSY_TIMEOUT_MS}`],
};

const JSON_EACH: RawMethod = { name: "json_each(?)", fits: () => true };

/** The committed migrations, so raw databases have exactly the server's schema without Prisma's engine. */
function applyMigrations(db: Database.Database): void {
  for (const sql of migrationScripts(MIGRATIONS_DIR)) db.exec(sql);
}

/** The build's bind-parameter limit, from `PRAGMA compile_options`, so `IN (?,?,…)` is tried wherever it fits. */
function maxVariableNumber(db: Database.Database): number {
  const options = db.prepare("PRAGMA compile_options").pluck().all();
  const setting = options.find((option) => typeof option === "string" && option.startsWith("MAX_VARIABLE_NUMBER="));
  return typeof setting === "string" ? Number(setting.split("=")[1]) : DEFAULT_MAX_VARIABLE_NUMBER;
}

function countOf(value: unknown): number {
  if (typeof value !== "number" && typeof value !== "bigint") throw new Error(`expected a count, got ${String(value)}`);
  return Number(value);
}

/**
 * A second connection to a database, for seeding and checking. Seeding through it (not through the connection
 * that deletes) means the deleting connection finds its page cache stale at every run, for the server and the raw
 * driver alike.
 */
class SqliteFile implements BenchDatabase {
  readonly #db: Database.Database;

  constructor(file: string) {
    this.#db = new Database(file, { fileMustExist: true });
    this.#db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // Seeding is untimed and disposable; not fsyncing it keeps a 1M-row seed around a second.
    this.#db.pragma("synchronous = OFF");
  }

  async seed(rows: number): Promise<void> {
    // One transaction that puts back only what is missing: the recursive CTE offers ids 1..rows and INSERT OR IGNORE
    // keeps the rows still there. Rewriting the whole table (and checkpointing it) made the next timed delete pay
    // for the seed: the first commit after that WAL restart took ~1.3 ms, for raw and server alike.
    this.#db.transaction(() => {
      this.#db.prepare('DELETE FROM "TrashedThing"').run();
      this.#db.prepare('DELETE FROM "Deletion"').run();
      this.#db.prepare('DELETE FROM "Thing" WHERE "id" > ?').run(rows);
      this.#db
        .prepare(
          `WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ?)
           INSERT OR IGNORE INTO "Thing" ("id", "text") SELECT i, 'thing ' || i FROM seq`,
        )
        .run(rows);
    })();
  }

  async refill(rows: number, removed: readonly number[] | "all"): Promise<void> {
    if (removed === "all") return this.seed(rows);
    // A plain INSERT: the ids were verified gone, so a conflict would mean the table is not what the run thinks.
    this.#db
      .prepare(`INSERT INTO "Thing" ("id", "text") SELECT value, 'thing ' || value FROM json_each(?)`)
      .run(JSON.stringify(removed));
  }

  async count(): Promise<number> {
    return countOf(this.#db.prepare('SELECT count(*) FROM "Thing"').pluck().get());
  }

  async countPresent(ids: readonly number[]): Promise<number> {
    const present = this.#db
      .prepare('SELECT count(*) FROM "Thing" WHERE "id" IN (SELECT value FROM json_each(?))')
      .pluck()
      .get(JSON.stringify(ids));
    return countOf(present);
  }

  async countTrashed(deletionId: string, ids: readonly number[]): Promise<TrashedCount> {
    const row: unknown = this.#db
      .prepare(
        `SELECT count(*) AS "rows", coalesce(sum("id" IN (SELECT value FROM json_each(?))), 0) AS "ofIds"
         FROM "TrashedThing" WHERE "deletionId" = ?`,
      )
      .get(JSON.stringify(ids), deletionId);
    if (typeof row !== "object" || row === null || !("rows" in row) || !("ofIds" in row)) {
      throw new Error(`expected trash counts, got ${String(row)}`);
    }
    return { rows: countOf(row.rows), ofIds: countOf(row.ofIds) };
  }

  async close(): Promise<void> {
    this.#db.close();
  }
}

/** A new database file with these settings and the committed migrations, open. */
function createMigrated(file: string, settings: SqliteSettings): Database.Database {
  const db = new Database(file);
  for (const pragma of settings.pragmas) db.pragma(pragma);
  applyMigrations(db);
  return db;
}

function openRaw(file: string, settings: SqliteSettings): RawDatabase {
  const db = createMigrated(file, settings);
  const maxIds = maxVariableNumber(db);
  const inList: RawMethod = { name: "IN (?,?,…)", fits: (idCount) => idCount <= maxIds };
  const database = new SqliteFile(file);
  return {
    label: settings.label,
    methods: [JSON_EACH, inList],
    database,
    // Statements are prepared inside the timed call, as the server's driver adapter prepares each query it runs.
    async deleteIds(ids, method) {
      if (method === JSON_EACH) {
        return db.prepare('DELETE FROM "Thing" WHERE "id" IN (SELECT value FROM json_each(?))').run(JSON.stringify(ids))
          .changes;
      }
      if (!method.fits(ids.length)) throw new Error(`${method.name} cannot bind ${ids.length} ids`);
      return db.prepare(`DELETE FROM "Thing" WHERE "id" IN (${ids.map(() => "?").join(",")})`).run(...ids).changes;
    },
    // No WHERE clause: SQLite's truncate optimisation, as the server's deleteAllThings uses.
    async deleteAll() {
      return db.prepare('DELETE FROM "Thing"').run().changes;
    },
    async close() {
      await database.close();
      db.close();
    },
  };
}

/** The SQLite library better-sqlite3 was built with, for the report. */
function sqliteVersion(): string {
  const db = new Database(":memory:");
  try {
    return String(db.prepare("SELECT sqlite_version()").pluck().get());
  } finally {
    db.close();
  }
}

export const sqliteTarget: TargetFactory = (dir) => {
  const serverFile = join(dir, "server.db");
  return {
    name: `SQLite ${sqliteVersion()} (better-sqlite3)`,
    provider: "sqlite",
    node: process.execPath,
    serverEnv: { DATABASE_URL: `file:${serverFile}` },
    // The server created and migrated the file at start.
    openServerDatabase: async () => new SqliteFile(serverFile),
    openRawDatabases: async () => [
      openRaw(join(dir, "raw-wal.db"), SERVER_SETTINGS),
      openRaw(join(dir, "raw-rollback.db"), ROLLBACK_SETTINGS),
    ],
    peers: [
      floorPeer("bare Node floor (node:http + better-sqlite3 WAL)", process.execPath, FLOOR_SCRIPT, async () => {
        const file = join(dir, "floor.db");
        // WAL is a property of the file; the floor sets the other pragmas on its own connection.
        createMigrated(file, SERVER_SETTINGS).close();
        return { env: { DATABASE_URL: `file:${file}` }, database: new SqliteFile(file) };
      }),
    ],
  };
};
