import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  DeleteAllThingsCountDocument,
  DeleteAllThingsDocument,
  DeleteThingsDetailedDocument,
  DeleteThingsDocument,
  DeleteThingsWhereDocument,
  ThingsDeletedDocument,
  type ThingsDeletedSubscription,
} from "./gql/graphql.ts";
import { startTestServer, type Subscription, type TestServer } from "./support/server.ts";

let server: TestServer;
let subscription: Subscription<ThingsDeletedSubscription>;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
beforeEach(async () => {
  await server.clear();
  subscription?.close();
  subscription = await server.subscribe(ThingsDeletedDocument);
});

const nextEvent = async () => (await subscription.next()).data?.thingsDeleted;

describe("thingsDeleted subscription (SSE)", () => {
  it("receives one event per committed deleteThings call, with the ids and the count", async () => {
    const [a, b] = await server.seed(["a", "b", "c"]);
    const before = Date.now();
    await server.execute(DeleteThingsDocument, { ids: [String(a), String(b)] });
    const event = await nextEvent();
    expect(event).toMatchObject({ ids: [String(a), String(b)], count: 2, allThings: false });
    expect(Date.parse(event!.at)).toBeGreaterThanOrEqual(before - 1000);
  });

  it("receives nothing for a dry run, a refused call or a call that removed nothing", async () => {
    const [a, b] = await server.seed(["a", "b"]);
    await server.execute(DeleteThingsDetailedDocument, { ids: [String(a)], dryRun: true });
    await server.execute(DeleteAllThingsDocument, { expectedCount: 5 });
    await server.execute(DeleteThingsWhereDocument, { where: { textContains: "a" }, atMost: 0 });
    await server.execute(DeleteThingsDocument, { ids: ["999999"] });
    await server.execute(DeleteThingsDocument, { ids: ["abc"] });
    // The next event to arrive is the one from this committed call: none came before it.
    await server.execute(DeleteThingsWhereDocument, { where: { textEquals: "b" }, atMost: 1 });
    expect(await nextEvent()).toMatchObject({ ids: [String(b)], count: 1 });
  });

  it("tells subscribers when deleteAllThings emptied the table", async () => {
    (await server.seed(["a", "b"]));
    await server.execute(DeleteAllThingsCountDocument, { expectedCount: 2 });
    expect(await nextEvent()).toMatchObject({ ids: [], count: 2, allThings: true });
  });

  it("sends one event for a 100000-id delete", async () => {
    const ids = (await server.seed(Array.from({ length: 100_000 }, (_, i) => `t${i}`))).map(String);
    await server.execute(DeleteThingsDocument, { ids });
    const event = await nextEvent();
    expect(event?.count).toBe(100_000);
    expect(event?.ids).toHaveLength(100_000);
    await server.execute(DeleteThingsDocument, { ids: [] });
    (await server.seed(["last"]));
    await server.execute(DeleteAllThingsCountDocument, { expectedCount: 1 });
    expect((await nextEvent())?.allThings).toBe(true);
  });
});
