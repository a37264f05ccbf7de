// The three ways to delete Things, as database operations, each either permanent or undoable (the rows move into
// the trash, src/db/trash.ts). Each call is atomic: one statement, or one transaction when a check must see the
// same rows as the delete, with a constant number of statements whatever the number of rows. GraphQL concerns
// (selection, events) stay in src/schema.
import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";
import { auditStatement, type AuditRow } from "./audit.ts";
import type { SqlDialect } from "./dialect.ts";
import { emptyExactly } from "./empty-exactly.ts";
import { CountMismatchError, TooManyRowsError } from "./errors.ts";
import { ascending, missingFrom, type IdRow } from "./id-lists.ts";
import { countWhere, EVERYTHING, ID, THING, thingFilterSql, type ThingFilter } from "./thing-filter.ts";
import { countChecked, LARGE_WRITE_TIMEOUT_MS, serializable } from "./transactions.ts";
import { moveToTrashStatements, type TrashMove } from "./trash.ts";

export interface DeleteOutcome {
  /** Rows removed (0 for a dry run). */
  deletedCount: number;
  /** Removed (or, in a dry run, matching) ids, ascending; null when the caller did not ask for them. */
  deletedIds: number[] | null;
  /** Requested ids that did not exist, ascending; null when not computed. */
  notFoundIds: number[] | null;
  dryRun: boolean;
  /** The table was emptied by deleteAllThings. */
  allThings: boolean;
  /** The Deletion an undoable delete made: set when it moved at least one row into the trash. */
  deletionId: string | null;
}

export interface DeleteOptions {
  dryRun: boolean;
  /** The caller needs deletedIds / notFoundIds; otherwise only the count is computed. */
  wantIds: boolean;
  /** Who asks, for the audit row written in the same transaction. */
  subject: string;
  /** Undoable: move the rows into the trash as this Deletion instead of deleting them. */
  trash: TrashMove | null;
}

export class ThingDeletes {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly dialect: SqlDialect,
  ) {}

  /**
   * `ids` are distinct. Permanent, only the count asked for: prisma.thing.deleteMany, ONE DELETE and nothing else
   * (past Prisma's per-statement limit, where it would split the list into many statements, one DELETE with the
   * ids bound as one parameter). Ids asked for: ONE `DELETE … RETURNING id`, so the answer is exactly the rows this
   * statement removed, disjoint from what any concurrent call removed. Undoable: the trash move's fixed handful of
   * statements. Either way the audit row is written in the same (batch) transaction.
   */
  async byIds(ids: readonly number[], options: DeleteOptions): Promise<DeleteOutcome> {
    const { dryRun, wantIds, subject, trash } = options;
    const outcome = { dryRun, allThings: false, deletionId: null };
    if (ids.length === 0) return { ...outcome, deletedCount: 0, deletedIds: [], notFoundIds: [] };
    const auditRow: AuditRow = { subject, operation: "deleteThings", idCount: ids.length, dryRun };
    if (!dryRun && !wantIds && !trash && ids.length <= this.dialect.deleteManyMaxIds) {
      // The audit row first: on PostgreSQL this batch of two then goes out as one implicit transaction, the row and
      // the DELETE in one round trip (src/db/postgres-wire.ts); the same atomic write either way.
      const [, { count }] = await this.prisma.$transaction([
        this.auditModelRow(this.prisma, auditRow),
        this.prisma.thing.deleteMany({ where: { id: { in: [...ids] } } }),
      ]);
      return { ...outcome, deletedCount: count, deletedIds: null, notFoundIds: null };
    }
    const inIds = this.dialect.inIds(ID, ids);
    if (dryRun) {
      const [rows] = await this.prisma.$transaction([this.selectIds(this.prisma, inIds), this.audit(auditRow)]);
      const found = ascending(rows.map((row) => row.id));
      return { ...outcome, deletedCount: 0, deletedIds: found, notFoundIds: missingFrom(ids, found) };
    }
    if (trash) {
      const move = moveToTrashStatements(this.prisma, this.dialect, inIds, trash, "deleteThings", wantIds);
      const results = await this.prisma.$transaction(
        [...move.statements, this.audit({ ...auditRow, deletionId: trash.deletionId })],
        { timeout: LARGE_WRITE_TIMEOUT_MS },
      );
      const moved = move.outcome(results);
      return {
        ...outcome,
        deletedCount: moved.count,
        deletedIds: moved.ids,
        notFoundIds: moved.ids && missingFrom(ids, moved.ids),
        deletionId: moved.count > 0 ? trash.deletionId : null,
      };
    }
    if (wantIds) {
      const [rows] = await this.prisma.$transaction(
        [this.deleteReturningIds(this.prisma, inIds), this.audit(auditRow)],
        { timeout: LARGE_WRITE_TIMEOUT_MS },
      );
      const deleted = ascending(rows.map((row) => row.id));
      return { ...outcome, deletedCount: deleted.length, deletedIds: deleted, notFoundIds: missingFrom(ids, deleted) };
    }
    const [deletedCount] = await this.prisma.$transaction(
      [this.prisma.$executeRaw`DELETE FROM ${THING} WHERE ${inIds}`, this.audit(auditRow)],
      { timeout: LARGE_WRITE_TIMEOUT_MS },
    );
    return { ...outcome, deletedCount, deletedIds: null, notFoundIds: null };
  }

  /** Counts the matches and deletes them in one transaction, so no row can slip in between check and delete. */
  async matching(
    filter: ThingFilter,
    atMost: number,
    { dryRun, subject, trash }: Omit<DeleteOptions, "wantIds">,
  ): Promise<DeleteOutcome> {
    // At least one field is set: the schema refuses an empty filter for a delete (deleteAllThings' job).
    const where = thingFilterSql(this.dialect, filter);
    const operation = "deleteThingsWhere";
    return serializable(this.prisma, async (tx) => {
      const matched = await countWhere(tx, where);
      if (matched > atMost) throw new TooManyRowsError(matched, atMost);
      const audit = { subject, operation, idCount: matched, dryRun } as const;
      if (trash && !dryRun) {
        const moved = await this.moveInTransaction(tx, where, trash, operation, audit);
        const { count, ids, deletionId } = moved;
        return { deletedCount: count, deletedIds: ids, notFoundIds: [], dryRun, allThings: false, deletionId };
      }
      const rows = dryRun ? await this.selectIds(tx, where) : await this.deleteReturningIds(tx, where);
      const ids = ascending(rows.map((row) => row.id));
      await auditStatement(tx, audit);
      const deletedCount = dryRun ? 0 : ids.length;
      return { deletedCount, deletedIds: ids, notFoundIds: [], dryRun, allThings: false, deletionId: null };
    });
  }

  /**
   * Empties the table if it holds exactly `expectedCount` rows, checked in the same transaction. A bare
   * `DELETE FROM "Thing"` lets SQLite drop the table's pages at once (its truncate optimisation), which Prisma's
   * `deleteMany({})` (`WHERE 1=1`) prevents; the ids are read first only when the caller asked for them (or for a
   * dry run, which must not delete). An undoable one moves every row and checks the count it moved.
   */
  async all(expectedCount: number, { dryRun, wantIds, subject, trash }: DeleteOptions): Promise<DeleteOutcome> {
    const mismatch = (actualCount: number) => new CountMismatchError(actualCount, expectedCount);
    const operation = "deleteAllThings";
    const audit = { subject, operation, idCount: expectedCount, dryRun } as const;
    const outcome = { notFoundIds: [], dryRun, allThings: true, deletionId: null };
    const empty = async (tx: Prisma.TransactionClient) => {
      const selectIds = () => this.selectIds(tx, EVERYTHING);
      const emptied = await emptyExactly(tx, { table: THING, expectedCount, mismatch, selectIds, dryRun, wantIds });
      return { ...outcome, deletedCount: emptied.count, deletedIds: emptied.ids };
    };
    if (!trash && !dryRun && !wantIds) {
      // One DELETE whose own row count is the check: no serializable isolation needed (countChecked). The audit row
      // last, after the check: on PostgreSQL it travels with the COMMIT (a transaction that opened with it would be
      // committed with its first statement, before the check could roll it back; src/db/postgres-wire.ts).
      return countChecked(this.prisma, async (tx) => {
        const emptied = await empty(tx);
        await this.auditModelRow(tx, audit);
        return emptied;
      });
    }
    return serializable(this.prisma, async (tx) => {
      if (trash && !dryRun) {
        const moved = await this.moveInTransaction(tx, EVERYTHING, trash, operation, audit, wantIds);
        if (moved.count !== expectedCount) throw mismatch(moved.count);
        return { ...outcome, deletedCount: moved.count, deletedIds: moved.ids, deletionId: moved.deletionId };
      }
      const emptied = await empty(tx);
      await auditStatement(tx, audit);
      return emptied;
    });
  }

  /** The trash move inside an interactive transaction: its statements one after the other, then the audit row. */
  private async moveInTransaction(
    tx: Prisma.TransactionClient,
    where: Prisma.Sql,
    trash: TrashMove,
    operation: "deleteThingsWhere" | "deleteAllThings",
    audit: AuditRow,
    wantIds = true,
  ): Promise<{ count: number; ids: number[] | null; deletionId: string | null }> {
    const move = moveToTrashStatements(tx, this.dialect, where, trash, operation, wantIds);
    const results: unknown[] = [];
    for (const statement of move.statements) results.push(await statement);
    await auditStatement(tx, { ...audit, deletionId: trash.deletionId });
    const moved = move.outcome(results);
    return { ...moved, deletionId: moved.count > 0 ? trash.deletionId : null };
  }

  private audit(row: AuditRow): Prisma.PrismaPromise<number> {
    return auditStatement(this.prisma, row);
  }

  /**
   * The audit row as a model query, for the batch behind `deleteMany`. Prisma caches a batch's compiled plan only
   * when the batch starts with a model query, and keys the cache on raw statements' arguments verbatim: a raw
   * INSERT carrying the time and the subject made every batch new, so each request compiled the batch again
   * (about 0.15 ms) and filled the plan cache with one-offs. createMany's values are placeholders in the key, so
   * this batch compiles once per id count. (`create` would also be cached, but reads the row back.)
   */
  private auditModelRow(client: Prisma.TransactionClient, row: AuditRow): Prisma.PrismaPromise<Prisma.BatchPayload> {
    return client.deleteAudit.createMany({ data: [{ at: new Date(), ...row }] });
  }

  private selectIds(client: Prisma.TransactionClient, where: Prisma.Sql): Prisma.PrismaPromise<IdRow[]> {
    return client.$queryRaw<IdRow[]>`SELECT ${ID} FROM ${THING} WHERE ${where}`;
  }

  private deleteReturningIds(client: Prisma.TransactionClient, where: Prisma.Sql): Prisma.PrismaPromise<IdRow[]> {
    return client.$queryRaw<IdRow[]>`DELETE FROM ${THING} WHERE ${where} RETURNING ${ID}`;
  }
}
