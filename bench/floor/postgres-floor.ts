// The bare-Node floor on PostgreSQL: node:http + JSON + a pg Pool, one autocommit statement per request (`npm run
// bench` starts it on a migrated database of its own). No GraphQL, no ORM, no transaction, no audit row.
import pg from "pg";
import { databaseUrl, serveFloor } from "./http-floor.ts";

/** The server's default DATABASE_POOL_SIZE, so both hold as many connections at c=16. */
const POOL_SIZE = 10;

const pool = new pg.Pool({ connectionString: databaseUrl(), max: POOL_SIZE });
// An idle client the server drops would otherwise be an unhandled 'error' event.
pool.on("error", () => {});
const rowsOf = (result: pg.QueryResult) => result.rowCount ?? 0;

serveFloor({
  deleteIds: async (ids) => rowsOf(await pool.query('DELETE FROM "Thing" WHERE "id" = ANY($1::int[])', [ids])),
  deleteAll: async () => rowsOf(await pool.query('DELETE FROM "Thing"')),
  close: () => pool.end(),
});
