// The trash's events: one thingsChanged stream sees TRASHED, RESTORED and PURGED, with the usual bounds, and
// thingsDeleted keeps firing for undoable deletes.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  EmptyTrashDocument,
  PurgeThingsDocument,
  RestoreThingsDocument,
  ThingsChangedDocument,
  ThingsDeletedDocument,
  TrashThingsCountDocument,
  TrashThingsDocument,
  UndoDeleteCountDocument,
  type ThingsChangedSubscription,
} from "./gql/graphql.ts";
import { startTestServer, type Subscription, type TestServer } from "./support/server.ts";

/** Small, so that a few rows show the cut-off. */
const EVENT_MAX_IDS = 3;

let server: TestServer;
let changes: Subscription<ThingsChangedSubscription>;
beforeAll(async () => {
  server = await startTestServer({ env: { EVENT_MAX_IDS: String(EVENT_MAX_IDS) } });
});
afterAll(() => server.close());
beforeEach(async () => {
  await server.clear();
  changes?.close();
  changes = await server.subscribe(ThingsChangedDocument);
});

const asIds = (ids: readonly number[]) => ids.map(String);
const next = async () => (await changes.next()).data?.thingsChanged;

describe("thingsChanged for the trash", () => {
  it("sees TRASHED, RESTORED and PURGED with the ids, and nothing for dry runs or no-ops", async () => {
    const ids = await server.seed(["a", "b"]);
    const trashed = await server.execute(TrashThingsDocument, { ids: asIds(ids) });
    expect(await next()).toMatchObject({ kind: "TRASHED", ids: asIds(ids), count: 2, truncated: false });

    await server.execute(TrashThingsDocument, { ids: asIds(ids), dryRun: true });
    await server.execute(RestoreThingsDocument, { ids: ["999999"] });
    await server.execute(UndoDeleteCountDocument, { deletionId: trashed.data!.deleteThings.deletion!.id });
    expect(await next()).toMatchObject({ kind: "RESTORED", count: 2, allThings: false });

    await server.execute(TrashThingsDocument, { ids: asIds(ids) });
    expect(await next()).toMatchObject({ kind: "TRASHED", count: 2 });
    await server.execute(PurgeThingsDocument, { ids: asIds(ids), dryRun: true });
    await server.execute(PurgeThingsDocument, { ids: asIds([ids[0]!]) });
    expect(await next()).toMatchObject({ kind: "PURGED", ids: asIds([ids[0]!]), count: 1, allThings: false });
    await server.execute(EmptyTrashDocument, { expectedCount: 1 });
    expect(await next()).toMatchObject({ kind: "PURGED", ids: [], count: 1, allThings: true, truncated: true });
  });

  it("is truncated past EVENT_MAX_IDS, and thingsDeleted still hears undoable deletes", async () => {
    const deletes = await server.subscribe(ThingsDeletedDocument);
    try {
      const ids = await server.seed(["a", "b", "c", "d"]);
      await server.execute(TrashThingsCountDocument, { ids: asIds(ids) });
      expect(await next()).toMatchObject({ kind: "TRASHED", ids: [], count: 4, truncated: true });
      expect((await deletes.next()).data?.thingsDeleted).toMatchObject({ count: 4, truncated: true });
      await server.execute(RestoreThingsDocument, { ids: asIds(ids) });
      expect(await next()).toMatchObject({ kind: "RESTORED", ids: [], count: 4, truncated: true });
    } finally {
      deletes.close();
    }
  });
});
