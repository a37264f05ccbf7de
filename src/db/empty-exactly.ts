// Emptying a whole table (deleteAllThings, emptyTrash) only when it holds exactly the rows the caller expects.
import type { Prisma } from "../generated/prisma/client.ts";
import { ascending, type IdRow } from "./id-lists.ts";

export interface EmptyExactly {
  table: Prisma.Sql;
  /** The caller's count; any other count throws `mismatch(actualCount)`, which rolls the transaction back. */
  expectedCount: number;
  mismatch: (actualCount: number) => Error;
  /** Every id of the table, read only when the ids are asked for or nothing may be deleted. */
  selectIds: () => Promise<IdRow[]>;
  dryRun: boolean;
  wantIds: boolean;
}

/** Inside the caller's transaction: the rows deleted (0 for a dry run), and their ids when they were read. */
export async function emptyExactly(
  tx: Prisma.TransactionClient,
  { table, expectedCount, mismatch, selectIds, dryRun, wantIds }: EmptyExactly,
): Promise<{ count: number; ids: number[] | null }> {
  if (dryRun || wantIds) {
    const ids = ascending((await selectIds()).map((row) => row.id));
    if (ids.length !== expectedCount) throw mismatch(ids.length);
    return { count: dryRun ? 0 : await tx.$executeRaw`DELETE FROM ${table}`, ids };
  }
  // Delete first, check after: the row count the DELETE reports is the count before it, and a mismatch rolls the
  // transaction back. That saves a COUNT(*) scan, which costs more than the truncating DELETE itself.
  const count = await tx.$executeRaw`DELETE FROM ${table}`;
  if (count !== expectedCount) throw mismatch(count);
  return { count, ids: null };
}
