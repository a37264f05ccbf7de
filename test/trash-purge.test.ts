// The background purge (src/trash-purge.ts) on an injected clock, driven by runOnce(): what it removes, in which
// batches, what it publishes and audits, when a Deletion goes, and that stop() waits for it. Also
// TRASH_RETENTION_MS=0 (undoable deletes off) and, on PostgreSQL, one purging instance at a time.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createEvents, type Events } from "../src/events.ts";
import { createLogger } from "../src/logger.ts";
import { startTrashPurge, type TrashPurge } from "../src/trash-purge.ts";
import {
  DeleteThingsDocument,
  DeletionByIdDocument,
  TrashThingsCountDocument,
  TrashThingsDocument,
  UndoDeleteCountDocument,
} from "./gql/graphql.ts";
import { dataStatements, startTestServer, testProvider, type TestServer } from "./support/server.ts";

const DAY = 24 * 3600 * 1000;
const RETENTION = 30 * DAY;
const START = new Date("2026-12-01T12:00:00.000Z");
let clock = START;
const at = (ms: number) => new Date(START.getTime() + ms);

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ now: () => clock });
});
afterAll(() => server.close());

let purge: TrashPurge | undefined;
/** The counts the purge published, in order. */
let published: number[] = [];
beforeEach(async () => {
  clock = START;
  await server.clear();
  await server.raw.exec(`DELETE FROM "DeleteAudit"`);
  server.sql.length = 0;
});
afterEach(async () => {
  await purge?.stop();
  purge = undefined;
});

/**
 * A purge over the test server's trash; its timer never fires during a test. Its events are recorded as published
 * (only the count: the event's other fields are the bus's concern, test/event-bus.test.ts).
 */
function startPurge(batchSize = 1000): TrashPurge {
  const bus = createEvents();
  published = [];
  const events: Events = { ...bus, publish: (deleted) => (published.push(deleted.count), bus.publish(deleted)) };
  purge = startTrashPurge({
    trash: server.trash,
    events,
    logger: createLogger("silent"),
    settings: { retentionMs: RETENTION, purgeIntervalMs: 3_600_000 },
    now: () => clock,
    batchSize,
    pauseMs: 0,
  });
  return purge;
}

/** `count` new rows trashed as one Deletion at the current clock; its id and the rows. */
async function trashed(count: number): Promise<{ deletionId: string; ids: number[] }> {
  const ids = await server.seed(Array.from({ length: count }, (_, i) => `thing ${i}`));
  const result = await server.execute(TrashThingsCountDocument, { ids: ids.map(String) });
  expect(result.data?.deleteThings.deletedCount).toBe(count);
  return { deletionId: result.data!.deleteThings.deletion!.id, ids };
}

async function undoCode(deletionId: string): Promise<unknown> {
  const result = await server.execute(UndoDeleteCountDocument, { deletionId });
  return result.errors?.[0]?.extensions?.code ?? "restored";
}

const PURGE_DELETE = /^DELETE FROM "TrashedThing" WHERE "id" IN \(SELECT t\."id"/;

describe("the background purge", () => {
  it("removes exactly the rows of expired deletions, and leaves unexpired ones untouched", async () => {
    const old = await trashed(3);
    clock = at(10 * DAY);
    const recent = await trashed(2);
    const live = await server.seed(["live"]);
    // The old deletion's restorableUntil is now; the recent one has ten days left.
    clock = at(RETENTION);

    expect(await startPurge().runOnce()).toBe(3);

    expect((await server.trashed()).map((row) => row.id)).toEqual(recent.ids);
    expect((await server.things()).map((thing) => thing.id)).toEqual(live);
    const kept = await server.execute(DeletionByIdDocument, { id: recent.deletionId });
    expect(kept.data?.deletion).toMatchObject({ count: 2, remaining: 2 });
    expect(await undoCode(recent.deletionId)).toBe("restored");
    expect(await undoCode(old.deletionId)).toBe("UNDO_EXPIRED");
  });

  it("purges in batches of at most batchSize rows, one PURGED event and one audit row per batch", async () => {
    const { ids } = await trashed(1050);
    clock = at(RETENTION);
    server.sql.length = 0;

    expect(await startPurge(100).runOnce()).toBe(1050);

    const deletes = server.sql.filter((statement) => PURGE_DELETE.test(statement.sql));
    expect(deletes).toHaveLength(11);
    for (const statement of deletes) expect(statement.args.at(-1)).toBe(100);
    const batches = [...Array<number>(10).fill(100), 50];
    expect(await server.audit()).toEqual([
      { subject: "test", operation: "deleteThings", idCount: ids.length, dryRun: false },
      ...batches.map((idCount) => ({ subject: "system:purge", operation: "purgeExpired", idCount, dryRun: false })),
    ]);
    expect(published).toEqual(batches);
    expect(await server.trashed()).toEqual([]);
  });

  it("keeps the Deletion (UNDO_EXPIRED, remaining 0) until one more retention period has passed, then drops it", async () => {
    const first = await trashed(2);
    clock = at(10 * DAY);
    const second = await trashed(1);
    const run = startPurge();

    clock = at(RETENTION + 10 * DAY);
    expect(await run.runOnce()).toBe(3);
    const spent = await server.execute(DeletionByIdDocument, { id: first.deletionId });
    expect(spent.data?.deletion).toMatchObject({ count: 2, remaining: 0 });
    expect(await undoCode(first.deletionId)).toBe("UNDO_EXPIRED");

    clock = at(2 * RETENTION - 1);
    expect(await run.runOnce()).toBe(0);
    expect(await undoCode(first.deletionId)).toBe("UNDO_EXPIRED");

    clock = at(2 * RETENTION);
    await run.runOnce();
    expect(await undoCode(first.deletionId)).toBe("NOT_FOUND");
    // The second deletion expired ten days later, so it is kept ten days longer.
    expect(await undoCode(second.deletionId)).toBe("UNDO_EXPIRED");
  });

  it("stop() waits for the batch under way, and no batch starts after it", async () => {
    await trashed(500);
    clock = at(RETENTION);
    const run = startPurge(100);
    const order: string[] = [];

    const running = run.runOnce().then((purged) => (order.push("run finished"), purged));
    await run.stop();
    order.push("stop resolved");

    expect(order).toEqual(["run finished", "stop resolved"]);
    // stop() came while the first batch ran: that batch committed, and it was the last.
    expect(await running).toBe(100);
    const after = server.sql.length;
    expect(await server.trashed()).toHaveLength(400);
    expect(await run.runOnce()).toBe(0);
    expect(server.sql.slice(after).filter((statement) => PURGE_DELETE.test(statement.sql))).toEqual([]);
  });
});

describe("TRASH_RETENTION_MS=0", () => {
  let off: TestServer;
  beforeAll(async () => {
    off = await startTestServer({ env: { TRASH_RETENTION_MS: "0" } });
  });
  afterAll(() => off.close());

  it("refuses undoable deletes with UNDO_DISABLED before any SQL, and still deletes for good", async () => {
    const ids = (await off.seed(["a", "b"])).map(String);
    off.sql.length = 0;

    const refused = await off.execute(TrashThingsDocument, { ids });
    expect(refused.errors?.[0]?.extensions?.code).toBe("UNDO_DISABLED");
    expect(dataStatements(off.sql)).toEqual([]);
    expect(await off.things()).toHaveLength(2);
    expect(await off.trashed()).toEqual([]);

    const deleted = await off.execute(DeleteThingsDocument, { ids });
    expect(deleted.data?.deleteThings.deletedCount).toBe(2);
    expect(await off.things()).toEqual([]);
    expect(await off.trashed()).toEqual([]);
  });
});

describe.runIf(testProvider === "postgresql")("two instances purging one PostgreSQL database", () => {
  const PURGE_LOCK = 1416126830;
  let other: TestServer;
  beforeAll(async () => {
    other = await startTestServer({ databaseUrl: server.databaseUrl, now: () => clock });
  });
  afterAll(() => other.close());

  it("take turns: while another session holds the purge lock, purgeExpired skips the run (null)", async () => {
    const { ids } = await trashed(300);
    clock = at(RETENTION);

    await server.raw.exec(`SELECT pg_advisory_lock(${PURGE_LOCK})`);
    try {
      expect(await server.trash.purgeExpired(1000)).toBeNull();
      expect(await other.trash.purgeExpired(1000)).toBeNull();
      expect(await startPurge().runOnce()).toBe(0);
      expect(await server.trashed()).toHaveLength(300);
    } finally {
      await server.raw.exec(`SELECT pg_advisory_unlock(${PURGE_LOCK})`);
    }

    // At once: one of them purges every row, the other finds the lock held (null) or, after it, nothing left.
    const results = await Promise.all([server.trash.purgeExpired(1000), other.trash.purgeExpired(1000)]);
    const purged = results.flatMap((result) => result ?? []);
    expect(purged.sort((a, b) => a - b)).toEqual(ids);
    expect(results.filter((result) => result !== null && result.length > 0)).toHaveLength(1);
    expect(await server.trashed()).toEqual([]);
  });
});
