// The few SQL fragments whose spelling differs between the databases Prisma runs on for us.
import type { Prisma } from "../generated/prisma/client.ts";
import { empty, sql, type Sql } from "./sql.ts";
import type { DatabaseProvider } from "../config.ts";

export interface SqlDialect {
  /** `column` is one of these ids, bound as ONE parameter however many there are (no bind-parameter limit). */
  inIds(column: Sql, ids: readonly number[]): Sql;
  /** Case-sensitive substring test, the same on every database (`%` and `_` are plain characters). */
  contains(column: Sql, needle: string): Sql;
  /** A SELECT of the texts as rows of one column, in their order, bound as ONE parameter. */
  textRows(texts: readonly string[]): Sql;
  /** Prisma's deleteMany splits longer `in` lists into several statements; up to this many it sends one. */
  deleteManyMaxIds: number;
  /**
   * Moves the live Things matching `where` into the trash under `deletionId`, without reading them into Node: one
   * data-modifying CTE on PostgreSQL (the DELETE locks the rows, so a concurrent move or delete skips them), an
   * INSERT … SELECT and a DELETE of exactly the rows it copied on SQLite (whose single writer holds the database
   * from the first statement to COMMIT).
   */
  moveToTrash(where: Sql, deletionId: string): Sql[];
  /**
   * Moves the trashed Things matching `condition` (on `t` = "TrashedThing" and `d` = its "Deletion") back into
   * "Thing", the same way round. The first statement's result says what was restored: its row count, or with
   * `returningIds` the restored ids.
   */
  restoreFromTrash(condition: Sql, returningIds: boolean): Sql[];
  /** The ids of the rows `from` selects as a JSON array text, ascending (`[]` for none). */
  jsonIdArray(from: Sql): Sql;
  /**
   * Taken in a background purge batch's transaction, so that one instance runs that purge at a time; a row with
   * `held` false means another one is purging. Each purge has its own lock, so the trash and the audit purge do not
   * skip each other. SQLite (one process) needs none.
   */
  purgeLock: ((purge: BackgroundPurge) => Sql) | null;
}

/** The background purges that take a lock (src/trash-purge.ts, src/audit-purge.ts). */
export type BackgroundPurge = "trash" | "audit";

/** Any fixed keys will do; 1416126830 is "Thing" in ASCII, so another application's lock is unlikely to collide. */
const PURGE_LOCK_KEYS: Record<BackgroundPurge, number> = { trash: 1416126830, audit: 1416126831 };

const TRASH = sql`"TrashedThing"`;
const RESTORABLE = sql`"TrashedThing" t JOIN "Deletion" d ON d."id" = t."deletionId"`;

export const sqliteDialect: SqlDialect = {
  // SQLite has no array type: the ids travel as one JSON text.
  inIds: (column, ids) => sql`${column} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`,
  contains: (column, needle) => sql`instr(${column}, ${needle}) > 0`,
  textRows: (texts) => sql`SELECT value FROM json_each(${JSON.stringify(texts)}) ORDER BY key`,
  deleteManyMaxIds: 999,
  moveToTrash: (where, deletionId) => [
    sql`INSERT INTO ${TRASH} ("id", "text", "deletionId") SELECT "id", "text", ${deletionId} FROM "Thing" WHERE ${where}`,
    sql`DELETE FROM "Thing" WHERE "id" IN (SELECT "id" FROM ${TRASH} WHERE "deletionId" = ${deletionId})`,
  ],
  // The rows just copied back are the trashed ones that are now also live: a row is never in both otherwise.
  restoreFromTrash: (condition, returningIds) => [
    sql`INSERT INTO "Thing" ("id", "text") SELECT t."id", t."text" FROM ${RESTORABLE} WHERE ${condition}${returningIds ? sql` RETURNING "id"` : empty}`,
    sql`DELETE FROM ${TRASH} WHERE "id" IN (SELECT t."id" FROM ${RESTORABLE} WHERE ${condition} AND EXISTS (SELECT 1 FROM "Thing" l WHERE l."id" = t."id"))`,
  ],
  jsonIdArray: (from) => sql`(SELECT json_group_array("id") FROM (SELECT "id" FROM ${from} ORDER BY "id"))`,
  purgeLock: null,
};

export const postgresDialect: SqlDialect = {
  // One int[] parameter. `= ANY(…)` measured 150–560 ms for a 100000-id DELETE against 390–400 ms for
  // `IN (SELECT unnest(…))`, and PostgreSQL 14+ hashes a large ANY array, so it stays linear.
  inIds: (column, ids) => sql`${column} = ANY(${ids}::int[])`,
  contains: (column, needle) => sql`strpos(${column}, ${needle}) > 0`,
  textRows: (texts) =>
    sql`SELECT text FROM unnest(${texts}::text[]) WITH ORDINALITY AS texts(text, position) ORDER BY position`,
  // Measured by logging Prisma 7.10's SQL: 32766 ids are one DELETE, 32767 become BEGIN + two DELETEs + COMMIT.
  deleteManyMaxIds: 32_766,
  moveToTrash: (where, deletionId) => [
    sql`WITH moved AS (DELETE FROM "Thing" WHERE ${where} RETURNING "id", "text") INSERT INTO ${TRASH} ("id", "text", "deletionId") SELECT "id", "text", ${deletionId} FROM moved`,
  ],
  restoreFromTrash: (condition, returningIds) => [
    sql`WITH restored AS (DELETE FROM ${TRASH} t USING "Deletion" d WHERE d."id" = t."deletionId" AND ${condition} RETURNING t."id", t."text") INSERT INTO "Thing" ("id", "text") SELECT "id", "text" FROM restored${returningIds ? sql` RETURNING "id"` : empty}`,
  ],
  jsonIdArray: (from) => sql`(SELECT COALESCE(json_agg("id" ORDER BY "id"), '[]')::text FROM ${from})`,
  purgeLock: (purge) => sql`SELECT pg_try_advisory_xact_lock(${PURGE_LOCK_KEYS[purge]}::bigint) AS held`,
};

export function sqlDialect(provider: DatabaseProvider): SqlDialect {
  return provider === "sqlite" ? sqliteDialect : postgresDialect;
}

/** Takes `purge`'s lock in the transaction `tx`; false when another instance holds it (always true on SQLite). */
export async function holdsPurgeLock(
  tx: Prisma.TransactionClient,
  dialect: SqlDialect,
  purge: BackgroundPurge,
): Promise<boolean> {
  if (!dialect.purgeLock) return true;
  const [row] = await tx.$queryRaw<{ held: boolean }[]>(dialect.purgeLock(purge));
  return row?.held ?? false;
}
