// The Apollo example's undo against a real server: an undoable delete and its undo keep every watched list (all,
// newest first, filtered) and count right from the cache, with no refetch; another client follows both through
// thingsChanged.
import type { ApolloClient } from "@apollo/client";
import type { Subscription } from "rxjs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createThingsClient } from "../../examples/apollo/client.ts";
import type { ThingsChangedEvent } from "../../examples/apollo/evict-deleted-things.ts";
import { followThingsChanged } from "../../examples/apollo/follow-things-changed.ts";
import { deleteSelectionUndoable, undoDeletion } from "../../examples/apollo/undo-deletion.ts";
import { startHttpServer, TRUSTED_CLIENT_API_KEY, type HttpTestServer } from "../support/server.ts";
import { watchList, type WatchedList } from "./watch-list.ts";

let server: HttpTestServer;
let ids: string[];
const clients: ApolloClient[] = [];
const stops: (() => void)[] = [];

beforeEach(async () => {
  // The example is a deployed client: trusted documents only, and a token without things:any-document.
  server = await startHttpServer({ env: { TRUSTED_DOCUMENTS_ONLY: "true" } });
  ids = (await server.seed(["red a", "blue b", "red c", "blue d", "red e"])).map(String);
});
afterEach(async () => {
  for (const stop of stops.splice(0)) stop();
  for (const client of clients.splice(0)) client.stop();
  await server.close();
});

/** A client whose queries and mutations are recorded by operation name, to show what went over the network. */
function recordingClient(connected?: () => void) {
  const requests: string[] = [];
  const client = createThingsClient({
    url: server.url,
    token: TRUSTED_CLIENT_API_KEY,
    fetch: (input, init) => {
      requests.push(JSON.parse(init?.body as string).operationName);
      return fetch(input, init);
    },
    sse: connected && { retryAttempts: 0, on: { connected } },
  });
  clients.push(client);
  return { client, requests };
}

/** The screens of the example: every Thing, an inbox (newest first, 3 a page), and a search for "red". */
async function watchScreens(client: ApolloClient) {
  const all = watchList(client, 10);
  const inbox = watchList(client, 3, { orderBy: "ID_DESC" });
  const reds = watchList(client, 10, { filter: { textContains: "red" } });
  const lists = [all, inbox, reds];
  stops.push(...lists.map((list) => list.stop));
  await Promise.all(lists.map((list) => list.waitFor((thingIds) => thingIds.length > 0)));
  return { all, inbox, reds };
}

const latest = (list: WatchedList) => list.emissions.at(-1);

describe("Apollo example: deleteSelectionUndoable + undoDeletion", () => {
  it("an undoable delete leaves every list and count right, and the undo puts the rows back in place, without a refetch", async () => {
    const [a, b, c, d, e] = ids;
    const { client, requests } = recordingClient();
    const { all, inbox, reds } = await watchScreens(client);

    const deleted = await deleteSelectionUndoable(client, [c!, d!]);
    expect(deleted).toMatchObject({ deletedCount: 2, deletedIds: [c, d], undo: { count: 2 } });
    await expect.poll(() => latest(all)).toEqual({ thingIds: [a, b, e], thingCount: 3, totalCount: 3 });
    await expect.poll(() => latest(inbox)).toEqual({ thingIds: [e], thingCount: 3, totalCount: 3 });
    await expect.poll(() => latest(reds)).toEqual({ thingIds: [a, e], thingCount: 2, totalCount: 2 });

    const undone = await undoDeletion(client, deleted.undo!);
    expect(undone).toMatchObject({ restoredCount: 2, restoredIds: [c, d], notRestoredIds: [] });
    await expect.poll(() => latest(all)).toEqual({ thingIds: [a, b, c, d, e], thingCount: 5, totalCount: 5 });
    await expect.poll(() => latest(inbox)).toEqual({ thingIds: [e, d, c], thingCount: 5, totalCount: 5 });
    await expect.poll(() => latest(reds)).toEqual({ thingIds: [a, c, e], thingCount: 3, totalCount: 3 });

    expect(requests).toEqual(["ThingsList", "ThingsList", "ThingsList", "DeleteSelectionUndoable", "UndoDeletion"]);
    expect((await server.things()).map((thing) => [String(thing.id), thing.text])).toEqual([
      [a, "red a"],
      [b, "blue b"],
      [c, "red c"],
      [d, "blue d"],
      [e, "red e"],
    ]);
  });

  it("inserts restored Things in id order into lists fetched after the delete, and trims a full page", async () => {
    const [a, b, c, d, e] = ids;
    const { client, requests } = recordingClient();
    const all = watchList(client, 10);
    stops.push(all.stop);
    await all.waitFor((thingIds) => thingIds.length === 5);
    const deleted = await deleteSelectionUndoable(client, [a!, d!]);
    // Opened after the delete: these pages never held the trashed rows, so the undo must insert them.
    const inbox = watchList(client, 3, { orderBy: "ID_DESC" });
    const reds = watchList(client, 10, { filter: { textContains: "red" } });
    stops.push(inbox.stop, reds.stop);
    expect((await inbox.waitFor((thingIds) => thingIds.length > 0)).thingIds).toEqual([e, c, b]);
    expect((await reds.waitFor((thingIds) => thingIds.length > 0)).thingIds).toEqual([c, e]);

    await undoDeletion(client, deleted.undo!);
    await expect.poll(() => latest(all)).toEqual({ thingIds: [a, b, c, d, e], thingCount: 5, totalCount: 5 });
    // d goes between e and c; b, pushed off the 3-item page, now belongs to the next one.
    await expect.poll(() => latest(inbox)).toEqual({ thingIds: [e, d, c], thingCount: 5, totalCount: 5 });
    await expect.poll(() => latest(reds)).toEqual({ thingIds: [a, c, e], thingCount: 3, totalCount: 3 });
    expect(requests).toEqual(["ThingsList", "DeleteSelectionUndoable", "ThingsList", "ThingsList", "UndoDeletion"]);
  });

  it("refetches the lists when the undo restores Things this client never held, whose texts it does not know", async () => {
    const [a, b, c, d, e] = ids;
    const { client, requests } = recordingClient();
    const deleted = await deleteSelectionUndoable(client, [a!, d!]);
    const { all, inbox, reds } = await watchScreens(client);

    await undoDeletion(client, deleted.undo!);
    await expect.poll(() => latest(all)).toEqual({ thingIds: [a, b, c, d, e], thingCount: 5, totalCount: 5 });
    await expect.poll(() => latest(inbox)).toEqual({ thingIds: [e, d, c], thingCount: 5, totalCount: 5 });
    await expect.poll(() => latest(reds)).toEqual({ thingIds: [a, c, e], thingCount: 3, totalCount: 3 });
    expect(requests.slice(4).sort()).toEqual(["ThingsList", "ThingsList", "ThingsList", "UndoDeletion"]);
  });

  it("a second undo restores nothing, reports every id in notRestoredIds and leaves the cache alone", async () => {
    const [a, b, c, d, e] = ids;
    const { client } = recordingClient();
    const { all } = await watchScreens(client);
    const deleted = await deleteSelectionUndoable(client, [b!]);
    await undoDeletion(client, deleted.undo!);
    await expect.poll(() => latest(all)).toEqual({ thingIds: [a, b, c, d, e], thingCount: 5, totalCount: 5 });

    expect(await undoDeletion(client, deleted.undo!)).toMatchObject({
      restoredCount: 0,
      restoredIds: [],
      notRestoredIds: [b],
    });
    expect(latest(all)).toEqual({ thingIds: [a, b, c, d, e], thingCount: 5, totalCount: 5 });
  });
});

describe("Apollo example: thingsChanged TRASHED, RESTORED and CREATED from another client", () => {
  let watcher: ReturnType<typeof recordingClient>;
  let screens: Awaited<ReturnType<typeof watchScreens>>;
  const events: ThingsChangedEvent[] = [];

  beforeEach(async () => {
    events.length = 0;
    let connected!: () => void;
    const isConnected = new Promise<void>((resolve) => (connected = resolve));
    watcher = recordingClient(() => connected());
    screens = await watchScreens(watcher.client);
    const live: Subscription = followThingsChanged(watcher.client, { onEvent: (event) => events.push(event) });
    stops.push(() => live.unsubscribe());
    // An event published before the SSE response arrived would be lost: change nothing until the stream is open.
    await isConnected;
  });

  it("evicts what another client trashed, and fetches and re-inserts what it restored", async () => {
    const [a, b, c, d, e] = ids;
    const { all, inbox, reds } = screens;
    const { client: other } = recordingClient();

    const deleted = await deleteSelectionUndoable(other, [a!, e!]);
    await expect.poll(() => events.map((event) => event.kind)).toEqual(["TRASHED"]);
    await expect.poll(() => latest(all)).toEqual({ thingIds: [b, c, d], thingCount: 3, totalCount: 3 });
    await expect.poll(() => latest(inbox)).toEqual({ thingIds: [d, c], thingCount: 3, totalCount: 3 });
    await expect.poll(() => latest(reds)).toEqual({ thingIds: [c], thingCount: 1, totalCount: 1 });

    await undoDeletion(other, deleted.undo!);
    await expect.poll(() => events.map((event) => event.kind)).toEqual(["TRASHED", "RESTORED"]);
    expect(events[1]).toMatchObject({ ids: [a, e], count: 2, truncated: false });
    await expect.poll(() => latest(all)).toEqual({ thingIds: [a, b, c, d, e], thingCount: 5, totalCount: 5 });
    await expect.poll(() => latest(inbox)).toEqual({ thingIds: [e, d, c], thingCount: 5, totalCount: 5 });
    await expect.poll(() => latest(reds)).toEqual({ thingIds: [a, c, e], thingCount: 3, totalCount: 3 });
    // The event carries ids only: one request for the restored Things' texts, no list refetched.
    expect(watcher.requests).toEqual(["ThingsList", "ThingsList", "ThingsList", "ThingsByIds"]);
  });

  it("appends a Thing another client created to the lists it belongs in", async () => {
    const [a, , c, , e] = ids;
    const created = await server.post({ query: 'mutation Create { createThing(text: "red f") { id } }' });
    const f = (created.data as { createThing: { id: string } }).createThing.id;

    await expect.poll(() => events.map((event) => event.kind)).toEqual(["CREATED"]);
    await expect.poll(() => latest(screens.reds)).toEqual({ thingIds: [a, c, e, f], thingCount: 4, totalCount: 4 });
    await expect.poll(() => latest(screens.all)?.thingIds).toEqual([...ids, f]);
    // A full newest-first page: the new Thing is its first row, the last one moves to the next page.
    await expect.poll(() => latest(screens.inbox)?.thingIds).toEqual([f, e, ids[3]]);
  });

  it("counts its own undo once when it both undoes (subscribed: true) and receives RESTORED", async () => {
    const [a, b, c, d, e] = ids;
    const deleted = await deleteSelectionUndoable(watcher.client, [b!, c!], { subscribed: true });
    await expect.poll(() => events.length).toBe(1);
    await undoDeletion(watcher.client, deleted.undo!, { subscribed: true });
    await expect.poll(() => events.length).toBe(2);

    await expect.poll(() => latest(screens.all)).toEqual({ thingIds: [a, b, c, d, e], thingCount: 5, totalCount: 5 });
    await expect.poll(() => latest(screens.reds)).toEqual({ thingIds: [a, c, e], thingCount: 3, totalCount: 3 });
    const counts = screens.all.emissions.map((snapshot) => snapshot.thingCount);
    expect(counts.filter((count) => count < 3 || count > 5)).toEqual([]);
  });
});
