import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  DeletionByIdDocument,
  DeletionsDocument,
  EmptyTrashDocument,
  PurgeThingsDocument,
  RestoreThingsDocument,
  ThingCountDocument,
  ThingsPageDocument,
  TrashAllThingsDocument,
  TrashDocument,
  TrashThingsCountDocument,
  TrashThingsDocument,
  TrashThingsWhereDocument,
  UndoDeleteCountDocument,
  UndoDeleteDocument,
} from "./gql/graphql.ts";
import { AUDIT_INSERT, dataStatements, startTestServer, type TestServer } from "./support/server.ts";

const DAY = 24 * 3600 * 1000;
let clock = new Date("2026-12-01T12:00:00.000Z");
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ now: () => clock });
});
afterAll(() => server.close());
beforeEach(async () => {
  clock = new Date("2026-12-01T12:00:00.000Z");
  await server.clear();
  server.sql.length = 0;
});

const asIds = (ids: readonly number[]) => ids.map(String);

async function trash(ids: readonly number[]) {
  const result = await server.execute(TrashThingsDocument, { ids: asIds(ids) });
  expect(result.errors).toBeUndefined();
  return result.data!.deleteThings;
}

describe("an undoable delete", () => {
  it("moves the rows out of every live read and into the trash, as one Deletion", async () => {
    const [a, b, c] = await server.seed(["a", "b", "c"]);
    const moved = await trash([c!, a!, 999]);
    expect(moved).toMatchObject({
      deletedCount: 2,
      deletedIds: asIds([a!, c!]),
      notFoundIds: ["999"],
      dryRun: false,
      deletion: {
        operation: "deleteThings",
        count: 2,
        remaining: 2,
        deletedBy: "test",
        deletedAt: clock.toISOString(),
        restorableUntil: new Date(clock.getTime() + 30 * DAY).toISOString(),
      },
      query: { thingCount: 1 },
    });
    expect(await server.things()).toEqual([{ id: b, text: "b" }]);
    const deletionId = moved.deletion!.id;
    expect(await server.trashed()).toEqual([
      { id: a, text: "a", deletionId },
      { id: c, text: "c", deletionId },
    ]);
    const page = await server.execute(ThingsPageDocument, { first: 10 });
    expect(page.data?.things.totalCount).toBe(1);
    const trashPage = await server.execute(TrashDocument, { first: 10 });
    expect(trashPage.data?.trash.totalCount).toBe(2);
    expect(trashPage.data?.trash.edges.map((edge) => edge.node.id)).toEqual(asIds([c!, a!]));
  });

  it("has no deletion when nothing was moved, and moves nothing in a dry run", async () => {
    const [a] = await server.seed(["a"]);
    expect(await trash([999])).toMatchObject({ deletedCount: 0, deletion: null });
    const dry = await server.execute(TrashThingsDocument, { ids: asIds([a!]), dryRun: true });
    expect(dry.data?.deleteThings).toMatchObject({ deletedCount: 0, deletedIds: asIds([a!]), deletion: null });
    expect(await server.things()).toHaveLength(1);
    expect(await server.trashed()).toEqual([]);
    expect((await server.execute(DeletionsDocument, {})).data?.deletions.totalCount).toBe(0);
  });

  it("sends the same few statements for 1, 1000 and 20000 ids", async () => {
    const counts: number[] = [];
    for (const size of [1, 1000, 20_000]) {
      const ids = await server.seed(Array.from({ length: size }, (_, i) => `t${i}`));
      server.sql.length = 0;
      const result = await server.execute(TrashThingsCountDocument, { ids: asIds(ids) });
      expect(result.data?.deleteThings.deletedCount).toBe(size);
      const statements = dataStatements(server.sql);
      expect(statements).toContainEqual(AUDIT_INSERT);
      expect(statements.filter((sql) => /"Thing"/.test(sql) && /^(INSERT|DELETE|WITH)/.test(sql))).not.toHaveLength(0);
      counts.push(statements.length);
    }
    expect(new Set(counts).size).toBe(1);
    expect(counts[0]).toBeLessThanOrEqual(7);
  });

  it("by filter and of the whole table, as deleteThingsWhere and deleteAllThings", async () => {
    await server.seed(["draft 1", "draft 2", "keep"]);
    const where = await server.execute(TrashThingsWhereDocument, { where: { textContains: "draft" }, atMost: 2 });
    expect(where.data?.deleteThingsWhere).toMatchObject({
      deletedCount: 2,
      deletion: { operation: "deleteThingsWhere" },
    });
    const all = await server.execute(TrashAllThingsDocument, { expectedCount: 1 });
    expect(all.data?.deleteAllThings).toMatchObject({
      deletedCount: 1,
      deletion: { operation: "deleteAllThings", count: 1 },
    });
    expect(await server.things()).toEqual([]);
    expect(await server.trashed()).toHaveLength(3);
    const refused = await server.execute(TrashAllThingsDocument, { expectedCount: 5 });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: "COUNT_MISMATCH", actualCount: 0 });
  });
});

describe("undoDelete", () => {
  it("brings back the same ids and texts, once", async () => {
    const ids = await server.seed(["a", "b", "c"]);
    const { deletion } = await trash(ids.slice(0, 2));
    const undo = await server.execute(UndoDeleteDocument, { deletionId: deletion!.id });
    expect(undo.data?.undoDelete).toEqual({
      restoredCount: 2,
      restoredIds: asIds(ids.slice(0, 2)),
      notRestoredIds: [],
      query: { thingCount: 3 },
    });
    expect(await server.things()).toEqual([
      { id: ids[0], text: "a" },
      { id: ids[1], text: "b" },
      { id: ids[2], text: "c" },
    ]);
    expect(await server.trashed()).toEqual([]);
    const again = await server.execute(UndoDeleteDocument, { deletionId: deletion!.id });
    expect(again.data?.undoDelete).toMatchObject({
      restoredCount: 0,
      restoredIds: [],
      notRestoredIds: asIds(ids.slice(0, 2)),
    });
    const record = await server.execute(DeletionByIdDocument, { id: deletion!.id });
    expect(record.data?.deletion).toMatchObject({ count: 2, remaining: 0 });
  });

  it("lets a restored row be deleted again, as a new Deletion", async () => {
    const [a] = await server.seed(["a"]);
    const first = await trash([a!]);
    await server.execute(UndoDeleteCountDocument, { deletionId: first.deletion!.id });
    const second = await trash([a!]);
    expect(second.deletion?.id).not.toBe(first.deletion?.id);
    expect(second.deletedIds).toEqual(asIds([a!]));
  });

  it("answers NOT_FOUND for an unknown deletion and UNDO_EXPIRED after restorableUntil", async () => {
    const [a] = await server.seed(["a"]);
    const { deletion } = await trash([a!]);
    const unknown = await server.execute(UndoDeleteDocument, { deletionId: "no-such-deletion" });
    expect(unknown.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    clock = new Date(clock.getTime() + 30 * DAY);
    const expired = await server.execute(UndoDeleteDocument, { deletionId: deletion!.id });
    expect(expired.errors?.[0]?.extensions).toMatchObject({
      code: "UNDO_EXPIRED",
      restorableUntil: deletion!.restorableUntil,
    });
    expect(await server.things()).toEqual([]);
    expect(await server.trashed()).toHaveLength(1);
  });
});

describe("restoreThings and purgeThings", () => {
  it("restore chosen rows from any deletion and report the rest", async () => {
    const [a, b, c] = await server.seed(["a", "b", "c"]);
    await trash([a!]);
    await trash([b!]);
    const missing = c! + 1000;
    const restored = await server.execute(RestoreThingsDocument, { ids: asIds([b!, a!, missing, c!]) });
    expect(restored.data?.restoreThings).toEqual({
      restoredCount: 2,
      restoredIds: asIds([a!, b!]),
      notRestoredIds: asIds([c!, missing]),
    });
    expect((await server.execute(ThingCountDocument, {})).data?.thingCount).toBe(3);
  });

  it("purge for good in one DELETE, after a dry run that purges nothing", async () => {
    const [a, b, c] = await server.seed(["a", "b", "c"]);
    await trash([a!, b!]);
    const dry = await server.execute(PurgeThingsDocument, { ids: asIds([a!, c!]), dryRun: true });
    expect(dry.data?.purgeThings).toEqual({
      purgedCount: 0,
      purgedIds: asIds([a!]),
      notPurgedIds: asIds([c!]),
      dryRun: true,
    });
    expect(await server.trashed()).toHaveLength(2);
    server.sql.length = 0;
    const purged = await server.execute(PurgeThingsDocument, { ids: asIds([a!, c!]) });
    expect(purged.data?.purgeThings).toEqual({
      purgedCount: 1,
      purgedIds: asIds([a!]),
      notPurgedIds: asIds([c!]),
      dryRun: false,
    });
    expect(dataStatements(server.sql)).toEqual([
      expect.stringMatching(/^DELETE FROM "TrashedThing" WHERE/),
      AUDIT_INSERT,
    ]);
    expect((await server.trashed()).map((row) => row.id)).toEqual([b]);
    expect((await server.things()).map((row) => row.id)).toEqual([c]);
  });

  it("empty everyone's trash only when the count is right", async () => {
    const ids = await server.seed(["a", "b"]);
    await trash(ids);
    const wrong = await server.execute(EmptyTrashDocument, { expectedCount: 3 });
    expect(wrong.errors?.[0]?.extensions).toMatchObject({ code: "COUNT_MISMATCH", actualCount: 2, expectedCount: 3 });
    const emptied = await server.execute(EmptyTrashDocument, { expectedCount: 2 });
    expect(emptied.data?.emptyTrash).toEqual({ purgedCount: 2, purgedIds: asIds(ids), dryRun: false });
    expect(await server.trashed()).toEqual([]);
  });
});

describe("the audit", () => {
  it("records every trash operation in its transaction", async () => {
    const [a, b] = await server.seed(["a", "b"]);
    const before = (await server.audit()).length;
    const { deletion } = await trash([a!, b!]);
    await server.execute(UndoDeleteCountDocument, { deletionId: deletion!.id });
    await trash([a!]);
    await server.execute(RestoreThingsDocument, { ids: asIds([a!]) });
    await trash([a!]);
    await server.execute(PurgeThingsDocument, { ids: asIds([a!]) });
    await server.execute(EmptyTrashDocument, { expectedCount: 0 });
    expect((await server.audit()).slice(before).map((row) => row.operation)).toEqual([
      "deleteThings",
      "undoDelete",
      "deleteThings",
      "restoreThings",
      "deleteThings",
      "purgeThings",
      "emptyTrash",
    ]);
  });
});
