// The few SQL fragments whose spelling differs between the databases Prisma runs on for us.
import { Prisma } from "./generated/prisma/client.ts";

export interface SqlDialect {
  /** A subquery yielding these ids, bound as ONE parameter however many there are (no bind-parameter limit). */
  idSet(ids: readonly number[]): Prisma.Sql;
  /** Case-sensitive substring test, the same on every database. */
  contains(column: Prisma.Sql, needle: string): Prisma.Sql;
  /** Prisma's deleteMany splits longer `in` lists into several statements; up to this many it sends one. */
  deleteManyMaxIds: number;
}

export const sqliteDialect: SqlDialect = {
  idSet: (ids) => Prisma.sql`SELECT value FROM json_each(${JSON.stringify(ids)})`,
  contains: (column, needle) => Prisma.sql`instr(${column}, ${needle}) > 0`,
  deleteManyMaxIds: 999,
};
