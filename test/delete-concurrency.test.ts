import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DeleteThingsDetailedDocument } from "./gql/graphql.ts";
import { startTestServer, startTestServerPair, testProvider, type TestServer } from "./support/server.ts";

// On PostgreSQL two apps with their own pools delete truly concurrently, as two instances do. On SQLite one app,
// whose requests interleave at every await: two SQLite connections in ONE thread would deadlock (better-sqlite3
// waits for a lock synchronously, blocking the COMMIT it waits for). Separate processes sharing one database are
// covered by test/multi-instance.test.ts.
let servers: TestServer[];
beforeAll(async () => {
  servers = testProvider === "postgresql" ? await startTestServerPair() : [await startTestServer()];
});
afterAll(async () => {
  for (const server of servers.reverse()) await server.close();
});

/** A deterministic pseudo-random subset, so a failing round can be replayed. */
function sample(ids: readonly number[], seed: number): string[] {
  let state = seed;
  return ids.filter(() => ((state = (state * 1103515245 + 12345) % 2 ** 31) & 1) === 1).map(String);
}

describe("concurrent deleteThings calls with overlapping ids", () => {
  it("report disjoint deletedIds whose union is exactly the rows that disappeared (30 rounds)", async () => {
    for (let round = 0; round < 30; round++) {
      const first = servers[0]!;
      await first.clear();
      const ids = await first.seed(Array.from({ length: 300 }, (_, i) => `round ${round} thing ${i}`));
      const calls = [1, 2, 3, 4].map(
        (call) => [servers[call % servers.length]!, sample(ids, round * 4 + call)] as const,
      );

      const results = await Promise.all(
        calls.map(([server, requested]) => server.execute(DeleteThingsDetailedDocument, { ids: requested })),
      );

      const deletedSets = results.map((result) => {
        expect(result.errors).toBeUndefined();
        const payload = result.data!.deleteThings;
        expect(payload.deletedCount).toBe(payload.deletedIds.length);
        return payload.deletedIds;
      });
      const union = deletedSets.flat();
      expect(new Set(union).size).toBe(union.length);

      const remaining = new Set((await first.things()).map((thing) => String(thing.id)));
      const disappeared = ids.map(String).filter((id) => !remaining.has(id));
      expect([...union].sort()).toEqual(disappeared.sort());

      calls.forEach(([, requested], i) => {
        const payload = results[i]!.data!.deleteThings;
        // Every requested id is accounted for: deleted by this call, or not found by it.
        expect([...payload.deletedIds, ...payload.notFoundIds].sort()).toEqual([...requested].sort());
      });
    }
  });
});
