// Which Things a filter matches, as SQL: one definition for the deletes (src/db/thing-deletes.ts) and the reads
// (src/db/thing-reads.ts), so that a list shows and a count counts exactly what a delete with the same filter removes.
import type { Prisma } from "../generated/prisma/client.ts";
import { join, sql, type Sql } from "./sql.ts";
import type { SqlDialect } from "./dialect.ts";

/** Every field given must match; no field matches every Thing (the schema decides where that is allowed). */
export interface ThingFilter {
  textContains?: string;
  textEquals?: string;
  idIn?: readonly number[];
}

export const THING = sql`"Thing"`;
export const ID = sql`"id"`;
const TEXT = sql`"text"`;
export const EVERYTHING = sql`1 = 1`;

type CountRow = { count: bigint | number };

export function matchesEverything(filter: ThingFilter): boolean {
  return filter.textContains === undefined && filter.textEquals === undefined && filter.idIn === undefined;
}

/**
 * The filter as a WHERE condition. textContains is the dialect's case-sensitive substring test, never LIKE: LIKE
 * treats `%` and `_` as wildcards on both databases and ignores ASCII case on SQLite.
 */
export function thingFilterSql(dialect: SqlDialect, { textContains, textEquals, idIn }: ThingFilter): Sql {
  const conditions: Sql[] = [];
  if (textContains !== undefined) conditions.push(dialect.contains(TEXT, textContains));
  if (textEquals !== undefined) conditions.push(sql`${TEXT} = ${textEquals}`);
  if (idIn !== undefined) conditions.push(dialect.inIds(ID, idIn));
  return conditions.length === 0 ? EVERYTHING : join(conditions, " AND ");
}

/** `SELECT COUNT(*)` of the Things matching `where`. */
export async function countWhere(client: Prisma.TransactionClient, where: Sql): Promise<number> {
  const [row] = await client.$queryRaw<CountRow[]>`SELECT COUNT(*) AS count FROM ${THING} WHERE ${where}`;
  return Number(row?.count ?? 0);
}
