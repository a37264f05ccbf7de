import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  DeletionByIdDocument,
  DeletionsDocument,
  EmptyTrashDocument,
  PurgeThingsDocument,
  RestoreThingsDocument,
  TrashDocument,
  TrashThingsDocument,
  UndoDeleteDocument,
} from "./gql/graphql.ts";
import {
  SCOPED_API_KEYS,
  startTestServer,
  TEST_API_KEY,
  TEST_API_KEYS_ENV,
  type TestServer,
} from "./support/server.ts";

/** Two subjects with things:delete and nothing more; TEST_API_KEY (subject "test") also has things:restore-any. */
const ALICE = { key: "test-key-alice-deletes", sub: "alice", scopes: ["things:delete"] };
const BOB = { key: "test-key-bob-deletes", sub: "bob", scopes: ["things:delete"] };

let server: TestServer;
beforeAll(async () => {
  const apiKeys = [...(JSON.parse(TEST_API_KEYS_ENV) as unknown[]), ALICE, BOB];
  server = await startTestServer({ env: { API_KEYS: JSON.stringify(apiKeys) } });
});
afterAll(() => server.close());
beforeEach(() => server.clear());

const asIds = (ids: readonly number[]) => ids.map(String);

/** Alice moves `texts` to the trash; returns their ids and her deletion's id. */
async function aliceTrashes(texts: string[]) {
  const ids = await server.seed(texts);
  const result = await server.execute(TrashThingsDocument, { ids: asIds(ids) }, { token: ALICE.key });
  expect(result.data?.deleteThings.deletion?.deletedBy).toBe("alice");
  return { ids, deletionId: result.data!.deleteThings.deletion!.id };
}

describe("another subject's deletion", () => {
  it("cannot be undone without things:restore-any, and stays in the trash", async () => {
    const { deletionId } = await aliceTrashes(["a"]);
    const refused = await server.execute(UndoDeleteDocument, { deletionId }, { token: BOB.key });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: "FORBIDDEN", scope: "things:restore-any" });
    expect(await server.trashed()).toHaveLength(1);
    const undone = await server.execute(UndoDeleteDocument, { deletionId }, { token: TEST_API_KEY });
    expect(undone.data?.undoDelete.restoredCount).toBe(1);
  });

  it("is not restored or purged by ids: its rows are in notRestoredIds / notPurgedIds", async () => {
    const { ids } = await aliceTrashes(["a", "b"]);
    const restore = await server.execute(RestoreThingsDocument, { ids: asIds(ids) }, { token: BOB.key });
    expect(restore.data?.restoreThings).toEqual({ restoredCount: 0, restoredIds: [], notRestoredIds: asIds(ids) });
    const purge = await server.execute(PurgeThingsDocument, { ids: asIds(ids) }, { token: BOB.key });
    expect(purge.data?.purgeThings).toMatchObject({ purgedCount: 0, purgedIds: [], notPurgedIds: asIds(ids) });
    expect(await server.trashed()).toHaveLength(2);
    const own = await server.execute(RestoreThingsDocument, { ids: asIds(ids) }, { token: ALICE.key });
    expect(own.data?.restoreThings.restoredIds).toEqual(asIds(ids));
  });

  it("is not in the caller's trash, deletions or deletion(id); things:restore-any sees everyone's", async () => {
    const { deletionId } = await aliceTrashes(["a"]);
    const bobTrash = await server.execute(TrashDocument, {}, { token: BOB.key });
    expect(bobTrash.data?.trash).toMatchObject({ totalCount: 0, edges: [] });
    const bobDeletions = await server.execute(DeletionsDocument, {}, { token: BOB.key });
    expect(bobDeletions.data?.deletions.totalCount).toBe(0);
    const bobDeletion = await server.execute(DeletionByIdDocument, { id: deletionId }, { token: BOB.key });
    expect(bobDeletion.data?.deletion).toBeNull();
    const anyTrash = await server.execute(TrashDocument, {}, { token: TEST_API_KEY });
    expect(anyTrash.data?.trash.totalCount).toBe(1);
    expect(anyTrash.data?.trash.edges[0]?.node.deletion).toEqual({ id: deletionId, deletedBy: "alice" });
  });
});

describe("the trash's scopes", () => {
  it("need things:delete to read the trash, whatever READS_REQUIRE_AUTH says", async () => {
    const anonymous = await server.execute(TrashDocument, {}, { token: null });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    const reader = await server.execute(DeletionsDocument, {}, { token: SCOPED_API_KEYS.read.key });
    expect(reader.errors?.[0]?.extensions).toMatchObject({ code: "FORBIDDEN", scope: "things:delete" });
  });

  it("need things:delete-all to empty the trash", async () => {
    await aliceTrashes(["a"]);
    const refused = await server.execute(EmptyTrashDocument, { expectedCount: 1 }, { token: ALICE.key });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: "FORBIDDEN", scope: "things:delete-all" });
    expect(await server.trashed()).toHaveLength(1);
  });
});
