// The Apollo example's live updates against a real server: thingsChanged events arrive over SSE (graphql-sse,
// distinct connections mode) and the deletes they announce are evicted from the cache of a client that did not
// delete anything itself.
import type { ApolloClient } from "@apollo/client";
import type { Subscription } from "rxjs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createThingsClient } from "../../examples/apollo/client.ts";
import { deleteSelection } from "../../examples/apollo/delete-selection.ts";
import type { ThingsChangedEvent } from "../../examples/apollo/evict-deleted-things.ts";
import { followThingsChanged } from "../../examples/apollo/follow-things-changed.ts";
import { startHttpServer, TEST_API_KEY, TRUSTED_CLIENT_API_KEY, type HttpTestServer } from "../support/server.ts";
import { watchList, type WatchedList } from "./watch-list.ts";

let server: HttpTestServer;
/** Watches the list and subscribes; the client under test. */
let watcher: ApolloClient;
/** Deletes, as another user would. */
let other: ApolloClient;
let list: WatchedList;
let live: Subscription;
const events: ThingsChangedEvent[] = [];
let ids: string[];

beforeEach(async () => {
  // Two: a delete of three ids sends an event without them (truncated), which the client must handle too.
  // Trusted documents only: the watcher subscribes by hash; `other` and the raw request below, with TEST_API_KEY
  // (things:any-document), are what a script may still send.
  server = await startHttpServer({ env: { EVENT_MAX_IDS: "2", TRUSTED_DOCUMENTS_ONLY: "true" } });
  ids = (await server.seed(["a", "b", "c", "d"])).map(String);
  events.length = 0;
  let connected!: () => void;
  const isConnected = new Promise<void>((resolve) => (connected = resolve));
  watcher = createThingsClient({
    url: server.url,
    token: TRUSTED_CLIENT_API_KEY,
    sse: { retryAttempts: 0, on: { connected: () => connected() } },
  });
  other = createThingsClient({ url: server.url, token: TEST_API_KEY });
  list = watchList(watcher, 10);
  await list.waitFor((thingIds) => thingIds.length === 4);
  live = followThingsChanged(watcher, { onEvent: (event) => events.push(event) });
  // An event published before the SSE response arrived would be lost: delete only once the stream is open.
  await isConnected;
});
afterEach(async () => {
  live.unsubscribe();
  list.stop();
  watcher.stop();
  other.stop();
  await server.close();
});

describe("Apollo example: thingsChanged deletes over SSE", () => {
  it("evicts the ids another client deleted, and the watched list and counts follow", async () => {
    const [a, b, c, d] = ids;
    await deleteSelection(other, [a!, c!]);

    expect(await list.waitFor((thingIds) => thingIds.length === 2)).toEqual({
      thingIds: [b, d],
      thingCount: 2,
      totalCount: 2,
    });
    expect(events).toEqual([
      expect.objectContaining({ kind: "DELETED", ids: [a, c], count: 2, allThings: false, truncated: false }),
    ]);
    expect(Object.keys(watcher.cache.extract() as object)).not.toContain(`Thing:${a}`);
  });

  it("refetches the list and counts when the event does not list the ids (truncated: more than EVENT_MAX_IDS)", async () => {
    const [a, b, c, d] = ids;
    await deleteSelection(other, [a!, b!, c!]);

    expect(await list.waitFor((thingIds) => thingIds.length === 1)).toEqual({
      thingIds: [d],
      thingCount: 1,
      totalCount: 1,
    });
    expect(events).toEqual([expect.objectContaining({ ids: [], count: 3, truncated: true })]);
    expect((await server.things()).map((thing) => String(thing.id))).toEqual([d]);
  });

  it("evicts every Thing when deleteAllThings emptied the table (allThings, no ids)", async () => {
    const response = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${TEST_API_KEY}` },
      body: JSON.stringify({ query: "mutation DeleteAll { deleteAllThings(expectedCount: 4) { deletedCount } }" }),
    });
    expect(response.status).toBe(200);

    expect(await list.waitFor((thingIds) => thingIds.length === 0)).toEqual({
      thingIds: [],
      thingCount: 0,
      totalCount: 0,
    });
    expect(events).toEqual([expect.objectContaining({ ids: [], allThings: true, count: 4 })]);
    expect(Object.keys(watcher.cache.extract() as object).filter((key) => key.startsWith("Thing:"))).toEqual([]);
  });

  it("counts its own delete once when it both deletes (subscribed: true) and receives the event", async () => {
    const [a, b, c, d] = ids;
    await deleteSelection(watcher, [b!], { subscribed: true });
    await expect.poll(() => events.length).toBe(1);

    await expect.poll(() => list.emissions.at(-1)).toEqual({ thingIds: [a, c, d], thingCount: 3, totalCount: 3 });
    expect(list.emissions.map((snapshot) => snapshot.thingCount)).not.toContain(2);
  });
});
