// PostgreSQL as a benchmark target, on the server at BENCH_POSTGRES_URL: every server the benchmark starts gets a
// fresh database of its own, the raw driver (pg, in-process) another one, and all of them are dropped at cleanup.
// Seeding and checks go through pg too, on connections of their own.
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { describePostgres, quoteIdentifier } from "../src/db/postgres.ts";
import { withDatabaseName, withPostgresClient } from "../src/db/postgres-admin.ts";
import type { Cleanup } from "./cleanup.ts";
import { floorPeer } from "./floor/peer.ts";
import { migrationScripts } from "./migrations.ts";
import { postgraphileNode, postgraphilePeer, type MigratedDatabase } from "./postgraphile-peer.ts";
import type { BenchDatabase, RawDatabase, RawMethod, TargetFactory, TrashedCount } from "./target.ts";
import { TargetUnavailableError } from "./unavailable.ts";

/** The same default server as the tests' TEST_POSTGRES_URL; the databases are created next to this one. */
const SERVER_URL = process.env.BENCH_POSTGRES_URL || "postgresql://postgres@127.0.0.1:5432/test";
const MIGRATIONS_DIR = fileURLToPath(new URL("../prisma/postgresql/migrations/", import.meta.url));
const FLOOR_SCRIPT = fileURLToPath(new URL("./floor/postgres-floor.ts", import.meta.url));
/** The protocol's Bind message counts its parameters in 16 bits. */
const MAX_BIND_PARAMETERS = 65_535;

/** One int[] parameter, whatever the count: what the server sends past Prisma's 32766-id statement limit. */
const ANY_ARRAY: RawMethod = { name: "= ANY($1::int[])", fits: () => true };
/** One parameter per id: what Prisma's deleteMany sends, which the server uses up to that limit. */
const IN_LIST: RawMethod = { name: "IN ($1,$2,…)", fits: (idCount) => idCount <= MAX_BIND_PARAMETERS };

/**
 * The server's version, e.g. "15.20". Also the reachability check, bounded by src/db/postgres.ts's connect timeout:
 * an unreachable server makes the target unavailable rather than failing the run.
 */
async function serverVersion(): Promise<string> {
  try {
    return await withPostgresClient(SERVER_URL, async (client) => {
      const { rows } = await client.query<{ server_version: string }>("SHOW server_version");
      // "15.20 (Debian 15.20-0+deb12u1)": the packager's suffix says nothing about performance.
      return rows[0]?.server_version.split(" ")[0] ?? "?";
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new TargetUnavailableError(`PostgreSQL at ${describePostgres(SERVER_URL)} unreachable (${reason})`);
  }
}

/** A new, empty database on the benchmark's server, dropped at cleanup; returns its URL. */
async function createDatabase(cleanup: Cleanup): Promise<string> {
  const name = `things_bench_${randomBytes(6).toString("hex")}`;
  await withPostgresClient(SERVER_URL, (client) => client.query(`CREATE DATABASE ${quoteIdentifier(name)}`));
  // FORCE: a server that was killed, or a run interrupted mid-query, may still hold connections to it.
  cleanup.defer(() =>
    withPostgresClient(SERVER_URL, (client) =>
      client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`),
    ),
  );
  return withDatabaseName(SERVER_URL, name);
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  // A connection the server drops later would otherwise be an unhandled 'error' event that kills the process.
  client.on("error", () => {});
  await client.connect();
  return client;
}

/**
 * A connection for seeding and checking, never the one that deletes: for the raw driver as for the server's pool,
 * the deleting connection then meets a table another session has just replaced (TRUNCATE makes every session
 * reload its cached view of the table) at every run.
 */
class PostgresDatabase implements BenchDatabase {
  readonly #client: pg.Client;

  constructor(client: pg.Client) {
    this.#client = client;
  }

  static async open(url: string): Promise<PostgresDatabase> {
    return new PostgresDatabase(await connect(url));
  }

  async seed(rows: number): Promise<void> {
    // TRUNCATE rather than DELETE: every run starts on a compact table and index, not on the dead rows of the runs
    // before it, which no (auto)vacuum is guaranteed to have removed in time.
    await this.#client.query("BEGIN");
    try {
      await this.#client.query('TRUNCATE "Thing", "TrashedThing", "Deletion"');
      await this.#client.query(
        `INSERT INTO "Thing" ("id", "text") SELECT g, 'thing ' || g FROM generate_series(1, $1::int) AS g`,
        [rows],
      );
      // Explicit ids do not move the SERIAL's sequence: without this, the next createThings would pick id 1 again.
      await this.#client.query(`SELECT setval(pg_get_serial_sequence('"Thing"', 'id'), greatest($1::int, 1))`, [rows]);
      await this.#client.query("COMMIT");
    } catch (error) {
      await this.#client.query("ROLLBACK");
      throw error;
    }
    // Statistics, so the delete is planned for the table it runs on; and VACUUM, so an autovacuum triggered by
    // the insert does not start in the middle of a timed delete. (VACUUM cannot run inside a transaction.)
    await this.#client.query('VACUUM (ANALYZE) "Thing", "TrashedThing", "Deletion"');
  }

  /**
   * Always a full seed: re-inserting only the removed rows would leave the deleted versions behind as dead tuples,
   * and an autovacuum they trigger could then start in the middle of a timed delete.
   */
  async refill(rows: number): Promise<void> {
    await this.seed(rows);
  }

  async count(): Promise<number> {
    const { rows } = await this.#client.query<{ count: number }>('SELECT count(*)::int AS count FROM "Thing"');
    return rows[0]?.count ?? 0;
  }

  async countPresent(ids: readonly number[]): Promise<number> {
    const { rows } = await this.#client.query<{ count: number }>(
      'SELECT count(*)::int AS count FROM "Thing" WHERE "id" = ANY($1::int[])',
      [ids],
    );
    return rows[0]?.count ?? 0;
  }

  async countTrashed(deletionId: string, ids: readonly number[]): Promise<TrashedCount> {
    const { rows } = await this.#client.query<TrashedCount>(
      `SELECT count(*)::int AS "rows", (count(*) FILTER (WHERE "id" = ANY($2::int[])))::int AS "ofIds"
       FROM "TrashedThing" WHERE "deletionId" = $1`,
      [deletionId, ids],
    );
    return rows[0] ?? { rows: 0, ofIds: 0 };
  }

  async close(): Promise<void> {
    await this.#client.end();
  }
}

/** A connection to `url` after the committed migrations ran on it. */
async function connectMigrated(url: string): Promise<pg.Client> {
  const client = await connect(url);
  for (const sql of migrationScripts(MIGRATIONS_DIR)) await client.query(sql);
  return client;
}

/** A fresh database for a peer: the committed migrations, then `sql`; closed by the peer. */
async function createMigratedDatabase(cleanup: Cleanup, sql = ""): Promise<MigratedDatabase> {
  const url = await createDatabase(cleanup);
  const client = await connectMigrated(url);
  try {
    if (sql) await client.query(sql);
  } finally {
    await client.end();
  }
  return { url, database: await PostgresDatabase.open(url) };
}

/** The raw driver on its own database, created with the committed migrations. */
async function openRaw(url: string): Promise<RawDatabase> {
  const client = await connectMigrated(url);
  const database = await PostgresDatabase.open(url);
  const rowsDeleted = (result: pg.QueryResult) => result.rowCount ?? 0;
  return {
    // One configuration: the server's own settings are the only ones there are to compare with.
    label: "PostgreSQL (server defaults)",
    methods: [ANY_ARRAY, IN_LIST],
    database,
    // Autocommit, one statement; parsed at every call (pg's unnamed statements), as the server's adapter does.
    async deleteIds(ids, method) {
      if (method === ANY_ARRAY)
        return rowsDeleted(await client.query('DELETE FROM "Thing" WHERE "id" = ANY($1::int[])', [ids]));
      if (!method.fits(ids.length)) throw new Error(`${method.name} cannot bind ${ids.length} ids`);
      const placeholders = ids.map((_, index) => `$${index + 1}`).join(",");
      return rowsDeleted(await client.query(`DELETE FROM "Thing" WHERE "id" IN (${placeholders})`, [...ids]));
    },
    // DELETE, not TRUNCATE: what the server's deleteAllThings runs.
    async deleteAll() {
      return rowsDeleted(await client.query('DELETE FROM "Thing"'));
    },
    async close() {
      await database.close();
      await client.end();
    },
  };
}

export const postgresTarget: TargetFactory = async (_dir, cleanup) => {
  const version = await serverVersion();
  const serverUrl = await createDatabase(cleanup);
  const node = postgraphileNode();
  return {
    name: `PostgreSQL ${version} (pg)`,
    provider: "postgresql",
    node,
    // The server migrates its (empty) database at start.
    serverEnv: { DATABASE_URL: serverUrl },
    openServerDatabase: () => PostgresDatabase.open(serverUrl),
    openRawDatabases: async () => [await openRaw(await createDatabase(cleanup))],
    peers: [
      floorPeer("bare Node floor (node:http + pg Pool, autocommit)", node, FLOOR_SCRIPT, async () => {
        const { url, database } = await createMigratedDatabase(cleanup);
        return { env: { DATABASE_URL: url }, database };
      }),
      postgraphilePeer(createMigratedDatabase),
    ],
  };
};
