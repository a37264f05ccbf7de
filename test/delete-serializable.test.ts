// The check-then-delete transactions (deleteThingsWhere, and deleteAllThings when it reads the ids first) are
// serializable. PostgreSQL aborts one of two conflicting ones (40001, which Prisma 7.10 reports as P2010 or as a
// failed COMMIT); SQLite answers a second connection's write with SQLITE_BUSY. Both must be retried, never surface
// as an error or a partial delete: this test only passes when they are, on real databases.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DeleteThingsWhereDocument } from "./gql/graphql.ts";
import { startTestServerPair, type TestServer } from "./support/server.ts";

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
      const ids = await first.seed(
        Array.from({ length: 200 }, (_, i) => `${i % 2 ? "odd" : "even"} ${i % 3 ? "x" : "y"}`),
      );
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
