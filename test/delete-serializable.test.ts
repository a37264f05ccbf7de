// The check-then-delete transactions (deleteThingsWhere, deleteAllThings) are serializable. PostgreSQL aborts one
// of two conflicting ones (40001, Prisma P2034); it must be retried, never surface as an error or a partial delete.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqliteDialect } from "../src/sql-dialect.ts";
import { SERIALIZATION_ATTEMPTS, ThingDeletes } from "../src/thing-deletes.ts";
import { DeleteThingsWhereDocument } from "./gql/graphql.ts";
import { startTestServerPair, type TestServer } from "./helpers.ts";

let first: TestServer;
let second: TestServer;
beforeAll(async () => {
  [first, second] = await startTestServerPair();
});
afterAll(async () => {
  await second.close();
  await first.close();
});

describe("concurrent deleteThingsWhere calls on overlapping rows", () => {
  it("all succeed and remove every matching row exactly once (10 rounds, two connections)", async () => {
    for (let round = 0; round < 10; round++) {
      await first.clear();
      const ids = await first.seed(Array.from({ length: 200 }, (_, i) => `${i % 2 ? "odd" : "even"} ${i % 3 ? "x" : "y"}`));
      first.sql.length = 0;
      second.sql.length = 0;
      const filters = ["odd", "even", "x", "y", "odd x", "even y"];

      const results = await Promise.all(
        filters.map((textContains, i) =>
          (i % 2 ? second : first).execute(DeleteThingsWhereDocument, { where: { textContains }, atMost: 200 }),
        ),
      );

      const deleted = results.flatMap((result) => {
        expect(result.errors).toBeUndefined();
        return result.data!.deleteThingsWhere.deletedIds;
      });
      expect(new Set(deleted).size).toBe(deleted.length);
      expect(deleted.sort()).toEqual(ids.map(String).sort());
      expect(await first.things()).toEqual([]);
    }
  });
});

const adapterConflict = (originalCode: string, kind: string) => ({ name: "DriverAdapterError", cause: { originalCode, kind } });

// The shapes Prisma 7.10 really produced in the test above (and Prisma's documented P2034).
describe.each([
  ["P2034", { code: "P2034" }],
  ["a raw statement's P2010 with PostgreSQL 40001", { code: "P2010", meta: { driverAdapterError: adapterConflict("40001", "TransactionWriteConflict") } }],
  ["a failed COMMIT (DriverAdapterError)", adapterConflict("40001", "TransactionWriteConflict")],
  ["SQLITE_BUSY between two connections", { code: "P2010", meta: { driverAdapterError: adapterConflict("SQLITE_BUSY", "SocketTimeout") } }],
])("a serialization failure: %s", (_name, shape) => {
  const conflict = Object.assign(new Error("could not serialize access"), shape);
  /** A client whose transactions fail `failures` times with the conflict, then run. */
  const flakyClient = (failures: number) => {
    let attempts = 0;
    const client = {
      attempts: () => attempts,
      $transaction: async (work: (tx: unknown) => Promise<unknown>) => {
        if (++attempts <= failures) throw conflict;
        return work({ $queryRaw: async () => [{ count: 0 }], $executeRaw: async () => 0 });
      },
    };
    // Only $transaction is used by deleteAllThings' path; the rest of PrismaClient is not needed here.
    return client as typeof client & ConstructorParameters<typeof ThingDeletes>[0];
  };

  it("is retried until the transaction commits", async () => {
    const prisma = flakyClient(SERIALIZATION_ATTEMPTS - 1);
    const outcome = await new ThingDeletes(prisma, sqliteDialect).all(0, 10, { dryRun: false, wantIds: false });
    expect(outcome.deletedCount).toBe(0);
    expect(prisma.attempts()).toBe(SERIALIZATION_ATTEMPTS);
  });

  it("surfaces after SERIALIZATION_ATTEMPTS attempts, each of them rolled back", async () => {
    const prisma = flakyClient(Infinity);
    await expect(new ThingDeletes(prisma, sqliteDialect).all(0, 10, { dryRun: false, wantIds: false })).rejects.toBe(conflict);
    expect(prisma.attempts()).toBe(SERIALIZATION_ATTEMPTS);
  });
});
