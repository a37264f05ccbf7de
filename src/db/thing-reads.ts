// Reading Things page by page and counting them, by the filters the deletes use (src/db/thing-filter.ts): a list
// shows, and a count counts, exactly the rows a delete with the same filter would remove.
import type { Prisma, PrismaClient, Thing } from "../generated/prisma/client.ts";
import { join, sql } from "./sql.ts";
import type { SqlDialect } from "./dialect.ts";
import type { IdRow } from "./id-lists.ts";
import { countWhere, ID, matchesEverything, THING, thingFilterSql, type ThingFilter } from "./thing-filter.ts";

/** One keyset scan of the id index: ids strictly between the bounds, in `direction`, at most `take` rows. */
export interface IdScan {
  idAbove?: number;
  idBelow?: number;
  direction: "asc" | "desc";
  take: number;
}

/** Which columns (and, were there any, relations) to read: the Prisma query Pothos derives from the selection. */
export type ThingSelection = Pick<Prisma.ThingFindManyArgs, "select" | "omit">;

const DIRECTION_SQL = { asc: sql`ASC`, desc: sql`DESC` } as const;

export class ThingReads {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly dialect: SqlDialect,
  ) {}

  /**
   * The Things of one scan, in its direction. Without a filter one findMany; with one, the filter needs the
   * dialect's exact substring test, which Prisma's `contains` (LIKE) is not, so a raw SELECT finds the page's ids
   * and a findMany by those ids reads what the selection asks for. A row deleted between the two is left out.
   */
  async page(filter: ThingFilter, scan: IdScan, selection: ThingSelection): Promise<Thing[]> {
    const orderBy = { id: scan.direction };
    if (matchesEverything(filter)) {
      const where = { id: { gt: scan.idAbove, lt: scan.idBelow } };
      return this.prisma.thing.findMany({ ...selection, where, orderBy, take: scan.take });
    }
    const conditions = [thingFilterSql(this.dialect, filter)];
    if (scan.idAbove !== undefined) conditions.push(sql`${ID} > ${scan.idAbove}`);
    if (scan.idBelow !== undefined) conditions.push(sql`${ID} < ${scan.idBelow}`);
    const rows = await this.prisma.$queryRaw<IdRow[]>`SELECT ${ID} FROM ${THING} WHERE ${join(
      conditions,
      " AND ",
    )} ORDER BY ${ID} ${DIRECTION_SQL[scan.direction]} LIMIT ${scan.take}`;
    if (rows.length === 0) return [];
    const ids = rows.map((row) => Number(row.id));
    return this.prisma.thing.findMany({ ...selection, where: { id: { in: ids } }, orderBy });
  }

  /** How many Things match; without a filter Prisma's count, as thingCount always sent. */
  count(filter: ThingFilter): Promise<number> {
    if (matchesEverything(filter)) return this.prisma.thing.count();
    return countWhere(this.prisma, thingFilterSql(this.dialect, filter));
  }
}
