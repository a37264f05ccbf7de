import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  CreateThingDocument,
  CreateThingsDocument,
  DeleteAllThingsCountDocument,
  DeleteAllThingsDocument,
  DeleteThingsDetailedDocument,
  DeleteThingsDocument,
  DeleteThingsWhereDocument,
  ThingsDeletedDocument,
  type ThingsDeletedSubscription,
} from "./gql/graphql.ts";
import { CSRF_HEADER } from "../src/plugins/use-csrf-prevention.ts";
import { startTestServer, type Subscription, type TestServer } from "./support/server.ts";

/** Small, so that a few rows show the cut-off. */
const EVENT_MAX_IDS = 5;

let server: TestServer;
let subscription: Subscription<ThingsDeletedSubscription>;
beforeAll(async () => {
  server = await startTestServer({ env: { EVENT_MAX_IDS: String(EVENT_MAX_IDS) } });
});
afterAll(() => server.close());
beforeEach(async () => {
  await server.clear();
  subscription?.close();
  subscription = await server.subscribe(ThingsDeletedDocument);
});

const nextEvent = async () => (await subscription.next()).data?.thingsDeleted;
const texts = (count: number) => Array.from({ length: count }, (_, i) => `t${i}`);

describe("thingsDeleted subscription (SSE)", () => {
  it("receives one event per committed deleteThings call, with the ids and the count", async () => {
    const [a, b] = await server.seed(["a", "b", "c"]);
    const before = Date.now();
    await server.execute(DeleteThingsDocument, { ids: [String(a), String(b)] });
    const event = await nextEvent();
    expect(event).toMatchObject({ ids: [String(a), String(b)], count: 2, allThings: false, truncated: false });
    expect(Date.parse(event!.at)).toBeGreaterThanOrEqual(before - 1000);
  });

  it("over GET, as GraphiQL subscribes, is refused without the CSRF header and streams with it", async () => {
    await expect(server.subscribe(ThingsDeletedDocument, { method: "GET" })).rejects.toThrow(
      /^subscription failed: HTTP 403 [\s\S]*"code":"CSRF_HEADER_REQUIRED"/,
    );
    const overGet = await server.subscribe(ThingsDeletedDocument, { method: "GET", headers: { [CSRF_HEADER]: "1" } });
    try {
      const [a] = await server.seed(["a"]);
      await server.execute(DeleteThingsDocument, { ids: [String(a)] });
      expect((await overGet.next()).data?.thingsDeleted).toMatchObject({ ids: [String(a)], count: 1 });
    } finally {
      overGet.close();
    }
  });

  it("receives nothing for a dry run, a refused call, a call that removed nothing, or a create", async () => {
    const [a, b] = await server.seed(["a", "b"]);
    await server.execute(DeleteThingsDetailedDocument, { ids: [String(a)], dryRun: true });
    await server.execute(DeleteAllThingsDocument, { expectedCount: 5 });
    await server.execute(DeleteThingsWhereDocument, { where: { textContains: "a" }, atMost: 0 });
    await server.execute(DeleteThingsDocument, { ids: ["999999"] });
    await server.execute(DeleteThingsDocument, { ids: ["abc"] });
    await server.execute(CreateThingDocument, { text: "c" });
    await server.execute(CreateThingsDocument, { texts: ["d", "e"] });
    // The next event to arrive is the one from this committed call: none came before it.
    await server.execute(DeleteThingsWhereDocument, { where: { textEquals: "b" }, atMost: 1 });
    expect(await nextEvent()).toMatchObject({ ids: [String(b)], count: 1 });
  });

  it("lists exactly the removed rows, not the requested ids that did not exist, when the call read them", async () => {
    const [a, b] = await server.seed(["a", "b"]);
    await server.execute(DeleteThingsDetailedDocument, { ids: [String(a), "999998", String(b), "999999"] });
    expect(await nextEvent()).toMatchObject({ ids: [String(a), String(b)], count: 2, truncated: false });
    expect(await server.things()).toEqual([]);
  });

  it("count-only deleteThings: lists the requested ids only when all were removed, else `truncated` without ids", async () => {
    const [a, b, c] = await server.seed(["a", "b", "c"]);
    await server.execute(DeleteThingsDocument, { ids: [String(a), String(a), String(b)] });
    expect(await nextEvent()).toMatchObject({ ids: [String(a), String(b)], count: 2, truncated: false });

    await server.execute(DeleteThingsDocument, { ids: [String(c), "999999"] });
    expect(await nextEvent()).toMatchObject({ ids: [], count: 1, truncated: true });
    expect(await server.things()).toEqual([]);
  });

  it("lists up to EVENT_MAX_IDS removed rows; past that, no ids and `truncated`", async () => {
    const ids = (await server.seed(texts(EVENT_MAX_IDS + 1))).map(String);
    await server.execute(DeleteThingsWhereDocument, { where: { idIn: ids.slice(0, EVENT_MAX_IDS) }, atMost: 100 });
    expect(await nextEvent()).toMatchObject({ ids: ids.slice(0, EVENT_MAX_IDS), truncated: false });

    await server.seed(texts(EVENT_MAX_IDS));
    await server.execute(DeleteThingsWhereDocument, { where: { textContains: "t" }, atMost: 100 });
    expect(await nextEvent()).toMatchObject({ ids: [], count: EVENT_MAX_IDS + 1, truncated: true });
    expect(await server.things()).toEqual([]);
  });

  it("tells subscribers when deleteAllThings emptied the table", async () => {
    await server.seed(["a", "b"]);
    await server.execute(DeleteAllThingsCountDocument, { expectedCount: 2 });
    expect(await nextEvent()).toMatchObject({ ids: [], count: 2, allThings: true, truncated: true });
  });

  it("sends one small event for a 100000-id delete", async () => {
    const ids = (await server.seed(texts(100_000))).map(String);
    await server.execute(DeleteThingsDocument, { ids });
    expect(await nextEvent()).toMatchObject({ ids: [], count: 100_000, truncated: true });
    await server.execute(DeleteThingsDocument, { ids: [] });
    await server.seed(["last"]);
    await server.execute(DeleteAllThingsCountDocument, { expectedCount: 1 });
    expect((await nextEvent())?.allThings).toBe(true);
  });
});

describe("MAX_SUBSCRIPTIONS", () => {
  it("refuses the subscription past the limit with TOO_MANY_SUBSCRIPTIONS, and the open ones keep receiving", async () => {
    const limited = await startTestServer({ env: { MAX_SUBSCRIPTIONS: "2" } });
    const open = [await limited.subscribe(ThingsDeletedDocument), await limited.subscribe(ThingsDeletedDocument)];
    try {
      const refused = await (await limited.subscribe(ThingsDeletedDocument)).next();
      expect(refused.data ?? null).toBeNull();
      expect(refused.errors).toEqual([
        expect.objectContaining({ extensions: { code: "TOO_MANY_SUBSCRIPTIONS", max: 2 } }),
      ]);

      const [a] = await limited.seed(["a", "b"]);
      await limited.execute(DeleteThingsDocument, { ids: [String(a)] });
      for (const subscription of open) {
        expect((await subscription.next()).data?.thingsDeleted).toMatchObject({ ids: [String(a)], count: 1 });
      }
      expect((await limited.things()).map((thing) => thing.text)).toEqual(["b"]);
    } finally {
      for (const subscription of open) subscription.close();
      await limited.close();
    }
  });
});
