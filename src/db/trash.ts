// The trash, as database operations: undoable deletes move rows from "Thing" into "TrashedThing" under a
// "Deletion" (src/db/thing-deletes.ts calls moveToTrashStatements), and this module takes them back (undo,
// restore) or removes them for good (purge, empty, the background purge of expired deletions). Every operation is
// one transaction of a constant number of statements whatever the number of rows, never reads the rows into Node,
// and writes its audit row in the same transaction: a row is always in exactly one of "Thing" and "TrashedThing".
import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";
import { empty, sql, type Sql } from "./sql.ts";
import { auditStatement, type AuditRow } from "./audit.ts";
import { holdsPurgeLock, type SqlDialect } from "./dialect.ts";
import { emptyExactly } from "./empty-exactly.ts";
import { CountMismatchError, DeletionNotFoundError, NotYourDeletionError, UndoExpiredError } from "./errors.ts";
import { ascending, missingFrom, type IdRow } from "./id-lists.ts";
import { LARGE_WRITE_TIMEOUT_MS, serializable } from "./transactions.ts";

/**
 * The Deletion an undoable delete makes; the caller picks its id (uuidV7 of deletedAt, src/db/uuid-v7.ts), so the
 * move needs nothing read back, and the trash list can order by it.
 */
export interface TrashMove {
  deletionId: string;
  deletedBy: string;
  deletedAt: Date;
  restorableUntil: Date;
}

export type DeletionOperation = "deleteThings" | "deleteThingsWhere" | "deleteAllThings";

/** Who looks at or changes the trash: their own deletions only, unless `anySubject` (things:restore-any). */
export interface TrashViewer {
  subject: string;
  anySubject: boolean;
}

export interface RestoreOutcome {
  restoredCount: number;
  /** Ascending; null when the caller did not ask for ids. */
  restoredIds: number[] | null;
  notRestoredIds: number[] | null;
}

export interface PurgeOutcome {
  /** Rows removed for good (0 for a dry run). */
  purgedCount: number;
  /** Removed (or, in a dry run, would be removed) ids, ascending; null when not asked for. */
  purgedIds: number[] | null;
  notPurgedIds: number[] | null;
  dryRun: boolean;
  /** emptyTrash emptied the whole trash. */
  allThings: boolean;
}

/** The subject the background purge's audit rows name. */
export const PURGE_SUBJECT = "system:purge";

const TRASH = sql`"TrashedThing"`;
const DELETION = sql`"Deletion"`;

type MovedRow = { count: bigint | number; ids?: string };

/**
 * The statements of a trash move, for a batch or an interactive transaction, and how to read their results: the
 * Deletion row first (so the moved rows can refer to it), the move, then the Deletion's count and ids from the
 * trash itself, and last the Deletion dropped again if nothing moved (the payload's `deletion` is null then).
 */
export function moveToTrashStatements(
  client: Prisma.TransactionClient,
  dialect: SqlDialect,
  where: Sql,
  { deletionId, deletedBy, deletedAt, restorableUntil }: TrashMove,
  operation: DeletionOperation,
  wantIds: boolean,
) {
  const ofDeletion = sql`${TRASH} WHERE "deletionId" = ${deletionId}`;
  const returning = wantIds ? sql`"count", "ids"` : sql`"count"`;
  const move = dialect.moveToTrash(where, deletionId).map((statement) => client.$executeRaw(statement));
  const statements = [
    client.$executeRaw`INSERT INTO ${DELETION} ("id", "operation", "count", "ids", "deletedBy", "deletedAt", "restorableUntil") VALUES (${deletionId}, ${operation}, 0, '[]', ${deletedBy}, ${deletedAt}, ${restorableUntil})`,
    ...move,
    client.$queryRaw<
      MovedRow[]
    >`UPDATE ${DELETION} SET "count" = (SELECT COUNT(*) FROM ${ofDeletion}), "ids" = ${dialect.jsonIdArray(ofDeletion)} WHERE "id" = ${deletionId} RETURNING ${returning}`,
    client.$executeRaw`DELETE FROM ${DELETION} WHERE "id" = ${deletionId} AND "count" = 0`,
  ];
  const reportAt = 1 + move.length;
  return {
    statements,
    outcome(results: readonly unknown[]): { count: number; ids: number[] | null } {
      const [row] = results[reportAt] as MovedRow[];
      if (!row) throw new Error(`the Deletion ${deletionId} was not written`);
      return { count: Number(row.count), ids: row.ids === undefined ? null : parseIds(row.ids) };
    },
  };
}

function parseIds(json: string): number[] {
  return ascending(JSON.parse(json) as number[]);
}

export class ThingTrash {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly dialect: SqlDialect,
    /** The time expiry is judged by; injected so tests need not wait 30 days. */
    private readonly now: () => Date,
  ) {}

  /** `ids` are distinct. Trashed ids of the viewer's (or any) unexpired deletions come back; the rest do not. */
  async restore(ids: readonly number[], viewer: TrashViewer, wantIds: boolean): Promise<RestoreOutcome> {
    if (ids.length === 0) return { restoredCount: 0, restoredIds: [], notRestoredIds: [] };
    const chosen = sql`${this.dialect.inIds(sql`t."id"`, ids)} AND ${this.visibleTo(viewer)}`;
    const audit = { subject: viewer.subject, operation: "restoreThings", idCount: ids.length, dryRun: false } as const;
    const restored = await this.restoreWhere(chosen, audit, wantIds);
    return { ...restored, notRestoredIds: restored.restoredIds && missingFrom(ids, restored.restoredIds) };
  }

  /**
   * The rows of this deletion still in the trash, back. The checks read the Deletion first; the restore itself
   * checks its expiry again, so a deletion that expires in between restores nothing rather than something late.
   */
  async undo(deletionId: string, viewer: TrashViewer, wantIds: boolean): Promise<RestoreOutcome> {
    const deletion = await this.prisma.deletion.findUnique({
      where: { id: deletionId },
      select: { deletedBy: true, restorableUntil: true, count: true, ids: wantIds },
    });
    if (!deletion) throw new DeletionNotFoundError(deletionId);
    if (!viewer.anySubject && deletion.deletedBy !== viewer.subject) throw new NotYourDeletionError(deletionId);
    if (deletion.restorableUntil <= this.now()) throw new UndoExpiredError(deletionId, deletion.restorableUntil);
    const ofDeletion = sql`t."deletionId" = ${deletionId} AND ${this.unexpired()}`;
    const audit = {
      subject: viewer.subject,
      operation: "undoDelete" as const,
      idCount: deletion.count,
      dryRun: false,
      deletionId,
    };
    const restored = await this.restoreWhere(ofDeletion, audit, wantIds);
    const everyId = deletion.ids === undefined ? null : parseIds(deletion.ids);
    const notRestoredIds = everyId && restored.restoredIds && missingFrom(everyId, restored.restoredIds);
    return { ...restored, notRestoredIds };
  }

  /** "Delete forever": the viewer's (or any) trashed rows among `ids`, in ONE DELETE; expired ones included. */
  async purge(
    ids: readonly number[],
    viewer: TrashViewer,
    { dryRun, wantIds }: { dryRun: boolean; wantIds: boolean },
  ): Promise<PurgeOutcome> {
    const outcome = { dryRun, allThings: false };
    if (ids.length === 0) return { ...outcome, purgedCount: 0, purgedIds: [], notPurgedIds: [] };
    const owned = viewer.anySubject
      ? empty
      : sql` AND "deletionId" IN (SELECT "id" FROM ${DELETION} WHERE "deletedBy" = ${viewer.subject})`;
    const chosen = sql`${this.dialect.inIds(sql`"id"`, ids)}${owned}`;
    const audit = auditStatement(this.prisma, {
      subject: viewer.subject,
      operation: "purgeThings",
      idCount: ids.length,
      dryRun,
    });
    if (!dryRun && !wantIds) {
      const [purgedCount] = await this.prisma.$transaction([
        this.prisma.$executeRaw`DELETE FROM ${TRASH} WHERE ${chosen}`,
        audit,
      ]);
      return { ...outcome, purgedCount, purgedIds: null, notPurgedIds: null };
    }
    const [rows] = await this.prisma.$transaction([
      dryRun
        ? this.prisma.$queryRaw<IdRow[]>`SELECT "id" FROM ${TRASH} WHERE ${chosen}`
        : this.prisma.$queryRaw<IdRow[]>`DELETE FROM ${TRASH} WHERE ${chosen} RETURNING "id"`,
      audit,
    ]);
    const found = ascending(rows.map((row) => row.id));
    return {
      ...outcome,
      purgedCount: dryRun ? 0 : found.length,
      purgedIds: found,
      notPurgedIds: missingFrom(ids, found),
    };
  }

  /** Everyone's trash, for good, if it holds exactly `expectedCount` rows (checked in the same transaction). */
  async empty(
    expectedCount: number,
    { dryRun, wantIds, subject }: { dryRun: boolean; wantIds: boolean; subject: string },
  ): Promise<PurgeOutcome> {
    const mismatch = (actualCount: number) => new CountMismatchError(actualCount, expectedCount, "trash");
    return serializable(this.prisma, async (tx) => {
      const emptied = await emptyExactly(tx, {
        table: TRASH,
        expectedCount,
        mismatch,
        selectIds: () => tx.$queryRaw<IdRow[]>`SELECT "id" FROM ${TRASH}`,
        dryRun,
        wantIds,
      });
      await auditStatement(tx, { subject, operation: "emptyTrash", idCount: expectedCount, dryRun });
      return { purgedCount: emptied.count, purgedIds: emptied.ids, notPurgedIds: [], dryRun, allThings: true };
    });
  }

  /**
   * One batch of the background purge: at most `batchSize` rows of expired deletions, for good, in one DELETE.
   * Null when another instance holds the purge lock (PostgreSQL); otherwise the purged ids (empty: nothing left).
   */
  async purgeExpired(batchSize: number): Promise<number[] | null> {
    return this.prisma.$transaction(async (tx) => {
      if (!(await holdsPurgeLock(tx, this.dialect, "trash"))) return null;
      const expired = sql`SELECT t."id" FROM ${TRASH} t JOIN ${DELETION} d ON d."id" = t."deletionId" WHERE d."restorableUntil" <= ${this.now()} LIMIT ${batchSize}`;
      const rows = await tx.$queryRaw<IdRow[]>`DELETE FROM ${TRASH} WHERE "id" IN (${expired}) RETURNING "id"`;
      if (rows.length > 0) {
        const audit = {
          subject: PURGE_SUBJECT,
          operation: "purgeExpired",
          idCount: rows.length,
          dryRun: false,
        } as const;
        await auditStatement(tx, audit);
      }
      return ascending(rows.map((row) => row.id));
    });
  }

  /**
   * Drops at most `batchSize` Deletions that expired before `cutoff` and have nothing left in the trash: until
   * then an undo of them is told UNDO_EXPIRED, afterwards NOT_FOUND. Returns how many it dropped.
   */
  async dropSpentDeletions(cutoff: Date, batchSize: number): Promise<number> {
    const spent = sql`SELECT d."id" FROM ${DELETION} d WHERE d."restorableUntil" <= ${cutoff} AND NOT EXISTS (SELECT 1 FROM ${TRASH} t WHERE t."deletionId" = d."id") LIMIT ${batchSize}`;
    return this.prisma.$executeRaw`DELETE FROM ${DELETION} WHERE "id" IN (${spent})`;
  }

  /**
   * Rows in the trash, counted up to `limit`: a scrape of the metrics (src/metrics.ts) costs a bounded scan of
   * the smallest index however large the trash grew.
   */
  async sizeUpTo(limit: number): Promise<number> {
    const [row] = await this.prisma.$queryRaw<
      [{ count: bigint | number }]
    >`SELECT COUNT(*) AS "count" FROM (SELECT 1 FROM ${TRASH} LIMIT ${limit}) AS "capped"`;
    return Number(row.count);
  }

  /** The restore statements for `condition` (on t and d) and the audit row, in one batch transaction. */
  private async restoreWhere(
    condition: Sql,
    audit: AuditRow,
    wantIds: boolean,
  ): Promise<Omit<RestoreOutcome, "notRestoredIds">> {
    const [first, ...rest] = this.dialect.restoreFromTrash(condition, wantIds);
    if (!first) throw new Error("the dialect has no restore statement");
    const counted = wantIds ? this.prisma.$queryRaw<IdRow[]>(first) : this.prisma.$executeRaw(first);
    const [result] = await this.prisma.$transaction(
      [counted, ...rest.map((sql) => this.prisma.$executeRaw(sql)), auditStatement(this.prisma, audit)],
      { timeout: LARGE_WRITE_TIMEOUT_MS },
    );
    if (typeof result === "number") return { restoredCount: result, restoredIds: null };
    const restoredIds = ascending(result.map((row) => row.id));
    return { restoredCount: restoredIds.length, restoredIds };
  }

  private unexpired(): Sql {
    return sql`d."restorableUntil" > ${this.now()}`;
  }

  /** Unexpired, and the viewer's own unless they may restore any. */
  private visibleTo({ subject, anySubject }: TrashViewer): Sql {
    return anySubject ? this.unexpired() : sql`${this.unexpired()} AND d."deletedBy" = ${subject}`;
  }
}
