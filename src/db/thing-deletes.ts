// The three ways to delete Things, as database operations. Each call is atomic: one statement, or one transaction
// when a check must see the same rows as the delete. GraphQL concerns (selection, events) stay in src/schema.
import { Prisma, type PrismaClient } from "../generated/prisma/client.ts";
import type { SqlDialect } from "./dialect.ts";
import { CountMismatchError, TooManyRowsError } from "./errors.ts";

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
}

export interface DeleteOptions {
  dryRun: boolean;
  /** The caller needs deletedIds / notFoundIds; otherwise only the count is computed. */
  wantIds: boolean;
  /** Who asks, for the audit row written in the same transaction. */
  subject: string;
}

type DeleteOperation = "deleteThings" | "deleteThingsWhere" | "deleteAllThings";

/** The DeleteAudit row a committed call writes; `at` is the time it is written. */
interface AuditRow {
  subject: string;
  operation: DeleteOperation;
  idCount: number;
  dryRun: boolean;
}

/** At least one field is set; validated by the schema before it gets here. */
export interface ThingFilter {
  textContains?: string;
  textEquals?: string;
  idIn?: readonly number[];
}

const THING = Prisma.sql`"Thing"`;
const AUDIT = Prisma.sql`"DeleteAudit"`;
const ID = Prisma.sql`"id"`;
const TEXT = Prisma.sql`"text"`;

function ascending(ids: Iterable<bigint | number>): number[] {
  return Array.from(ids, Number).sort((a, b) => a - b);
}

function missingFrom(requested: readonly number[], found: readonly number[]): number[] {
  const present = new Set(found);
  return ascending(requested.filter((id) => !present.has(id)));
}

/** Attempts of one serializable transaction before a serialization failure is given up on (see serializable()). */
const SERIALIZATION_ATTEMPTS = 5;

/**
 * The database rolled the transaction back because of a concurrent one, so running it again is safe. Seen as:
 * Prisma's P2034; a raw statement's P2010 or a failed COMMIT carrying the adapter error of kind
 * TransactionWriteConflict (PostgreSQL 40001); SQLITE_BUSY when two connections to one SQLite file both try to
 * turn a read transaction into a write one (the busy timeout does not apply: one of them must give up). Checked by
 * fields, not instanceof: the SQLite and PostgreSQL clients are two generated modules.
 */
function isSerializationFailure(error: unknown): boolean {
  if (field(error, "code") === "P2034") return true;
  const cause = field(field(field(error, "meta"), "driverAdapterError"), "cause") ?? field(error, "cause");
  const kind = field(cause, "kind");
  const originalCode = field(cause, "originalCode");
  // SQLITE_BUSY_SNAPSHOT: in WAL mode, another connection committed after this transaction's first read.
  const sqliteBusy = typeof originalCode === "string" && originalCode.startsWith("SQLITE_BUSY");
  return kind === "TransactionWriteConflict" || originalCode === "40001" || sqliteBusy;
}

function field(value: unknown, name: string): unknown {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[name] : undefined;
}

type IdRow = { id: bigint | number };
type CountRow = { count: bigint | number };

export class ThingDeletes {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly dialect: SqlDialect,
  ) {}

  /**
   * `ids` are distinct. Only the count asked for: prisma.thing.deleteMany, ONE DELETE and nothing else (past
   * Prisma's per-statement limit, where it would split the list into many statements, one DELETE with the ids
   * bound as one parameter). Ids asked for: ONE `DELETE … RETURNING id`, so the answer is exactly the rows this
   * statement removed, disjoint from what any concurrent call removed. Either way the audit row is written in the
   * same (batch) transaction.
   */
  async byIds(ids: readonly number[], { dryRun, wantIds, subject }: DeleteOptions): Promise<DeleteOutcome> {
    const outcome = { dryRun, allThings: false };
    if (ids.length === 0) return { ...outcome, deletedCount: 0, deletedIds: [], notFoundIds: [] };
    const auditRow: AuditRow = { subject, operation: "deleteThings", idCount: ids.length, dryRun };
    if (!dryRun && !wantIds && ids.length <= this.dialect.deleteManyMaxIds) {
      const [{ count }] = await this.prisma.$transaction([
        this.prisma.thing.deleteMany({ where: { id: { in: [...ids] } } }),
        this.auditModelRow(auditRow),
      ]);
      return { ...outcome, deletedCount: count, deletedIds: null, notFoundIds: null };
    }
    const inIds = this.dialect.inIds(ID, ids);
    const audit = this.audit(this.prisma, auditRow);
    if (dryRun) {
      const [rows] = await this.prisma.$transaction([this.selectIds(this.prisma, inIds), audit]);
      const found = ascending(rows.map((row) => row.id));
      return { ...outcome, deletedCount: 0, deletedIds: found, notFoundIds: missingFrom(ids, found) };
    }
    if (wantIds) {
      const [rows] = await this.prisma.$transaction([this.deleteReturningIds(this.prisma, inIds), audit]);
      const deleted = ascending(rows.map((row) => row.id));
      return { ...outcome, deletedCount: deleted.length, deletedIds: deleted, notFoundIds: missingFrom(ids, deleted) };
    }
    const [deletedCount] = await this.prisma.$transaction([
      this.prisma.$executeRaw`DELETE FROM ${THING} WHERE ${inIds}`,
      audit,
    ]);
    return { ...outcome, deletedCount, deletedIds: null, notFoundIds: null };
  }

  /** Counts the matches and deletes them in one transaction, so no row can slip in between check and delete. */
  async matching(
    filter: ThingFilter,
    atMost: number,
    { dryRun, subject }: Omit<DeleteOptions, "wantIds">,
  ): Promise<DeleteOutcome> {
    const where = this.filterSql(filter);
    return this.serializable(async (tx) => {
      const matched = await this.count(tx, where);
      if (matched > atMost) throw new TooManyRowsError(matched, atMost);
      const rows = dryRun ? await this.selectIds(tx, where) : await this.deleteReturningIds(tx, where);
      const ids = ascending(rows.map((row) => row.id));
      await this.audit(tx, { subject, operation: "deleteThingsWhere", idCount: matched, dryRun });
      return { deletedCount: dryRun ? 0 : ids.length, deletedIds: ids, notFoundIds: [], dryRun, allThings: false };
    });
  }

  /**
   * Empties the table if it holds exactly `expectedCount` rows, checked in the same transaction. A bare
   * `DELETE FROM "Thing"` lets SQLite drop the table's pages at once (its truncate optimisation), which Prisma's
   * `deleteMany({})` (`WHERE 1=1`) prevents; the ids are read first only when the caller asked for them (or for a
   * dry run, which must not delete).
   */
  async all(expectedCount: number, { dryRun, wantIds, subject }: DeleteOptions): Promise<DeleteOutcome> {
    const everything = Prisma.sql`1 = 1`;
    const mismatch = (actualCount: number) => new CountMismatchError(actualCount, expectedCount);
    return this.serializable(async (tx) => {
      let ids: number[] | null = null;
      let deletedCount = 0;
      if (dryRun || wantIds) {
        ids = ascending((await this.selectIds(tx, everything)).map((row) => row.id));
        if (ids.length !== expectedCount) throw mismatch(ids.length);
        if (!dryRun) deletedCount = await tx.$executeRaw`DELETE FROM ${THING}`;
      } else {
        // Delete first, check after: the row count the DELETE reports is the count before it, and a mismatch rolls
        // the transaction back. That saves a COUNT(*) scan, which costs more than the truncating DELETE itself.
        deletedCount = await tx.$executeRaw`DELETE FROM ${THING}`;
        if (deletedCount !== expectedCount) throw mismatch(deletedCount);
      }
      await this.audit(tx, { subject, operation: "deleteAllThings", idCount: expectedCount, dryRun });
      return { deletedCount, deletedIds: ids, notFoundIds: [], dryRun, allThings: true };
    });
  }

  /**
   * One serializable transaction, run again when the database aborted it for a conflict with a concurrent one
   * (see isSerializationFailure). An aborted attempt was rolled back entirely, so a retry can never make a partial
   * delete; after SERIALIZATION_ATTEMPTS the failure surfaces as an unexpected error with nothing deleted.
   */
  private async serializable<T>(work: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.prisma.$transaction(work, { isolationLevel: Prisma.TransactionIsolationLevel.Serializable });
      } catch (error) {
        if (attempt >= SERIALIZATION_ATTEMPTS || !isSerializationFailure(error)) throw error;
        // Random back-off, so that the transactions that collided do not collide again in lockstep.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * 2 ** attempt));
      }
    }
  }

  /**
   * The audit row as raw SQL, for batches of raw statements (Prisma runs those without compiling anything) and
   * for interactive transactions (each statement runs on its own). `deleteAudit.create` would cost more than the
   * delete it records there (0.9 vs 0.4 ms per call, measured), and the row needs nothing Prisma adds.
   */
  private audit(
    client: Prisma.TransactionClient,
    { subject, operation, idCount, dryRun }: AuditRow,
  ): Prisma.PrismaPromise<number> {
    return client.$executeRaw`INSERT INTO ${AUDIT} ("at", "subject", "operation", "idCount", "dryRun") VALUES (${new Date()}, ${subject}, ${operation}, ${idCount}, ${dryRun})`;
  }

  /**
   * The audit row as a model query, for the batch behind `deleteMany`. Prisma caches a batch's compiled plan only
   * when the batch starts with a model query, and keys the cache on raw statements' arguments verbatim: a raw
   * INSERT carrying the time and the subject made every batch new, so each request compiled the batch again
   * (about 0.15 ms) and filled the plan cache with one-offs. createMany's values are placeholders in the key, so
   * this batch compiles once per id count. (`create` would also be cached, but reads the row back.)
   */
  private auditModelRow(row: AuditRow): Prisma.PrismaPromise<Prisma.BatchPayload> {
    return this.prisma.deleteAudit.createMany({ data: [{ at: new Date(), ...row }] });
  }

  private filterSql({ textContains, textEquals, idIn }: ThingFilter): Prisma.Sql {
    const conditions: Prisma.Sql[] = [];
    if (textContains !== undefined) conditions.push(this.dialect.contains(TEXT, textContains));
    if (textEquals !== undefined) conditions.push(Prisma.sql`${TEXT} = ${textEquals}`);
    if (idIn !== undefined) conditions.push(this.dialect.inIds(ID, idIn));
    return Prisma.join(conditions, " AND ");
  }

  private async count(client: Prisma.TransactionClient, where: Prisma.Sql): Promise<number> {
    const [row] = await client.$queryRaw<CountRow[]>`SELECT COUNT(*) AS count FROM ${THING} WHERE ${where}`;
    return Number(row?.count ?? 0);
  }

  private selectIds(client: Prisma.TransactionClient, where: Prisma.Sql): Prisma.PrismaPromise<IdRow[]> {
    return client.$queryRaw<IdRow[]>`SELECT ${ID} FROM ${THING} WHERE ${where}`;
  }

  private deleteReturningIds(client: Prisma.TransactionClient, where: Prisma.Sql): Prisma.PrismaPromise<IdRow[]> {
    return client.$queryRaw<IdRow[]>`DELETE FROM ${THING} WHERE ${where} RETURNING ${ID}`;
  }
}
