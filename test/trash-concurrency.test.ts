// Trash operations racing each other on the same rows: overlapping undoable deletes, and a restore racing a purge.
// Whatever the interleaving, every row ends up in exactly one place, and the calls' answers split the rows between
// them exactly.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqlDialect } from "../src/db/dialect.ts";
import { ThingTrash } from "../src/db/trash.ts";
import { PurgeThingsDocument, RestoreThingsDocument, TrashThingsDocument, UndoDeleteDocument } from "./gql/graphql.ts";
import { startTestServer, startTestServerPair, testProvider, type TestServer } from "./support/server.ts";

const DAY = 24 * 3600 * 1000;
const RETENTION = 30 * DAY;
let clock = new Date("2026-12-01T12:00:00.000Z");

// As test/delete-concurrency.test.ts: on PostgreSQL two apps with their own pools, as two instances; on SQLite one
// app, whose requests interleave at every await (two SQLite connections in one thread would deadlock).
let servers: TestServer[];
beforeAll(async () => {
  const options = { now: () => clock };
  servers = testProvider === "postgresql" ? await startTestServerPair(options) : [await startTestServer(options)];
});
afterAll(async () => {
  for (const server of servers.reverse()) await server.close();
});

const ROUNDS = 12;
const ROWS = 200;

/** A deterministic pseudo-random subset, so a failing round can be replayed. */
function sample(ids: readonly number[], seed: number): number[] {
  let state = seed;
  return ids.filter(() => ((state = (state * 1103515245 + 12345) % 2 ** 31) & 1) === 1);
}

const asIds = (ids: readonly number[]) => ids.map(String);
const sorted = (ids: readonly (string | number)[]) => ids.map(Number).sort((a, b) => a - b);

/** A fresh round: ROWS live rows, the trash and the deletions empty. */
async function freshRows(round: number): Promise<number[]> {
  const first = servers[0]!;
  await first.clear();
  return first.seed(Array.from({ length: ROWS }, (_, i) => `round ${round} thing ${i}`));
}

/** Trashes `ids` as one Deletion through the first server; its id. */
async function trashAll(ids: readonly number[]): Promise<string> {
  const result = await servers[0]!.execute(TrashThingsDocument, { ids: asIds(ids) });
  expect(result.errors).toBeUndefined();
  expect(result.data?.deleteThings.deletedCount).toBe(ids.length);
  return result.data!.deleteThings.deletion!.id;
}

describe("concurrent undoable deletes with overlapping ids", () => {
  it(`split the rows into disjoint Deletions, each row trashed exactly once (${ROUNDS} rounds)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const ids = await freshRows(round);
      const calls = [1, 2, 3, 4].map(
        (call) => [servers[call % servers.length]!, sample(ids, round * 4 + call)] as const,
      );

      const results = await Promise.all(
        calls.map(([server, requested]) => server.execute(TrashThingsDocument, { ids: asIds(requested) })),
      );

      const payloads = results.map((result) => {
        expect(result.errors).toBeUndefined();
        return result.data!.deleteThings;
      });
      const union = payloads.flatMap((payload) => payload.deletedIds);
      expect(new Set(union).size, `round ${round}: an id reported by two calls`).toBe(union.length);
      const requestedUnion = new Set(calls.flatMap(([, requested]) => requested));
      expect(sorted(union)).toEqual(sorted([...requestedUnion]));

      const trashed = await servers[0]!.trashed();
      const live = await servers[0]!.things();
      expect(sorted(trashed.map((row) => row.id))).toEqual(sorted(union));
      expect(live.filter((thing) => requestedUnion.has(thing.id))).toEqual([]);
      expect(live.length + trashed.length).toBe(ROWS);

      payloads.forEach((payload, i) => {
        const requested = calls[i]![1];
        expect(sorted([...payload.deletedIds, ...payload.notFoundIds])).toEqual(sorted(requested));
        // Each reported row is in the trash under this call's Deletion, and the Deletion counts exactly them.
        const mine = trashed.filter((row) => row.deletionId === payload.deletion?.id).map((row) => row.id);
        expect(sorted(mine)).toEqual(sorted(payload.deletedIds));
        if (payload.deletedCount === 0) expect(payload.deletion).toBeNull();
        else expect(payload.deletion).toMatchObject({ count: payload.deletedCount, remaining: payload.deletedCount });
      });
      const deletions = new Set(trashed.map((row) => row.deletionId));
      expect(deletions.size).toBe(payloads.filter((payload) => payload.deletedCount > 0).length);
    }
  });
});

/** The restore's and the purge's ids are disjoint and together exactly `rows`; the restored ids, ascending. */
function expectSplit(
  rows: readonly number[],
  restored: readonly string[],
  purged: readonly (string | number)[],
): number[] {
  const restoredIds = sorted(restored);
  const restoredSet = new Set(restoredIds);
  expect(
    sorted(purged).filter((id) => restoredSet.has(id)),
    "both restored and purged",
  ).toEqual([]);
  expect(sorted([...restored, ...purged])).toEqual(sorted(rows));
  return restoredIds;
}

/** After the race: the restored rows live (once each), nothing left in the trash, the purged rows nowhere. */
async function expectRowsWhereReported(restoredIds: readonly number[]) {
  const live = await servers[0]!.things();
  expect(live.map((thing) => thing.id)).toEqual(restoredIds);
  expect(await servers[0]!.trashed()).toEqual([]);
}

describe("a restore racing a purge of the same rows", () => {
  it(`undoDelete and purgeThings leave each row restored or purged, never both or neither (${ROUNDS} rounds)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const rows = await freshRows(round);
      const deletionId = await trashAll(rows);
      const [undoServer, purgeServer] =
        round % 2 === 0 ? [servers[0]!, servers.at(-1)!] : [servers.at(-1)!, servers[0]!];

      const [undo, purge] = await Promise.all([
        undoServer.execute(UndoDeleteDocument, { deletionId }),
        purgeServer.execute(PurgeThingsDocument, { ids: asIds(rows) }),
      ]);

      expect(undo.errors).toBeUndefined();
      expect(purge.errors).toBeUndefined();
      const restoredIds = expectSplit(rows, undo.data!.undoDelete.restoredIds, purge.data!.purgeThings.purgedIds);
      // What the undo did not restore, it reports: the purged rows.
      expect(sorted(undo.data!.undoDelete.notRestoredIds)).toEqual(sorted(purge.data!.purgeThings.purgedIds));
      await expectRowsWhereReported(restoredIds);
    }
  });

  it(`restoreThings and purgeThings of overlapping ids split the rows the same way (${ROUNDS} rounds)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const rows = await freshRows(round);
      await trashAll(rows);
      const restoring = sample(rows, round * 2 + 1);
      const restoringSet = new Set(restoring);
      // Every row is asked for by at least one of the two calls, most by both.
      const purging = rows.filter((id, i) => !restoringSet.has(id) || i % 3 !== 0);

      const [restore, purge] = await Promise.all([
        servers[round % servers.length]!.execute(RestoreThingsDocument, { ids: asIds(restoring) }),
        servers[(round + 1) % servers.length]!.execute(PurgeThingsDocument, { ids: asIds(purging) }),
      ]);

      expect(restore.errors).toBeUndefined();
      expect(purge.errors).toBeUndefined();
      const restoredIds = expectSplit(rows, restore.data!.restoreThings.restoredIds, purge.data!.purgeThings.purgedIds);
      expect(restoredIds.every((id) => restoringSet.has(id))).toBe(true);
      await expectRowsWhereReported(restoredIds);
    }
  });

  it(`undoDelete on one instance and the expiry purge of another whose clock is ahead split the rows (${ROUNDS} rounds)`, async () => {
    // The undo's instance sees the deletion one millisecond before its end; the purging instance's clock runs a
    // little fast and sees it expired. Both act on every row; the database decides which one gets each.
    const purgeServer = servers.at(-1)!;
    const aheadClock = () => new Date(clock.getTime() + 2);
    const purgingTrash = new ThingTrash(purgeServer.prisma, sqlDialect(purgeServer.provider), aheadClock);
    const start = clock;
    try {
      for (let round = 0; round < ROUNDS; round++) {
        clock = start;
        const rows = await freshRows(round);
        const deletionId = await trashAll(rows);
        clock = new Date(start.getTime() + RETENTION - 1);

        const [undo, purgedIds] = await Promise.all([
          servers[0]!.execute(UndoDeleteDocument, { deletionId }),
          purgingTrash.purgeExpired(ROWS),
        ]);

        expect(undo.errors).toBeUndefined();
        expect(purgedIds).not.toBeNull();
        const restoredIds = expectSplit(rows, undo.data!.undoDelete.restoredIds, purgedIds!);
        await expectRowsWhereReported(restoredIds);
      }
    } finally {
      clock = start;
    }
  });
});
