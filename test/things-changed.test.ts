// thingsChanged over real HTTP SSE: one stream per client carries every kind of committed change, with the same
// bounds as thingsDeleted, which hears only the deletes of the same bus; across instances through Redis.
import { randomBytes } from "node:crypto";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  CreateThingDocument,
  CreateThingsDocument,
  DeleteAllThingsCountDocument,
  DeleteThingsDetailedDocument,
  DeleteThingsDocument,
  ThingsChangedDocument,
  ThingsDeletedDocument,
  type ThingsChangedSubscription,
} from "./gql/graphql.ts";
import {
  createScratchDatabase,
  openRawDatabase,
  redisSubscribers,
  servicesAvailable,
  TEST_REDIS_URL,
} from "./support/databases.ts";
import { startServerProcess } from "./support/processes.ts";
import {
  executeOverHttp,
  startHttpServer,
  subscribe,
  type HttpTestServer,
  type Subscription,
} from "./support/server.ts";

const redis = await servicesAvailable("thingsChanged across instances", ["redis"]);

/** Small, so that a few rows show the cut-off. */
const EVENT_MAX_IDS = 3;

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A subscription over real HTTP, closed after the test. */
async function open<TData>(
  url: string,
  document: TypedDocumentNode<TData, Record<string, never>>,
): Promise<Subscription<TData>> {
  const subscription = await subscribe(fetch, url, document);
  cleanups.push(() => subscription.close());
  return subscription;
}

const nextChange = async (subscription: Subscription<ThingsChangedSubscription>) =>
  (await subscription.next()).data?.thingsChanged;

describe("thingsChanged subscription (SSE over HTTP)", () => {
  let server: HttpTestServer;
  beforeAll(async () => {
    server = await startHttpServer({ env: { EVENT_MAX_IDS: String(EVENT_MAX_IDS) } });
  });
  afterAll(() => server.close());

  it("one stream sees creates, then a delete, each with its kind, its ids and its count", async () => {
    const changes = await open(server.url, ThingsChangedDocument);
    const before = Date.now();
    const created = (await server.execute(CreateThingsDocument, { texts: ["a", "b"] })).data!.createThings.things.map(
      (thing) => thing.id,
    );
    const event = await nextChange(changes);
    expect(event).toMatchObject({ kind: "CREATED", ids: created, count: 2, allThings: false, truncated: false });
    expect(Date.parse(event!.at)).toBeGreaterThanOrEqual(before - 1000);

    const one = (await server.execute(CreateThingDocument, { text: "c" })).data!.createThing.id;
    expect(await nextChange(changes)).toMatchObject({ kind: "CREATED", ids: [one], count: 1, truncated: false });

    await server.execute(DeleteThingsDocument, { ids: [...created, one] });
    expect(await nextChange(changes)).toMatchObject({
      kind: "DELETED",
      ids: [...created, one],
      count: 3,
      allThings: false,
      truncated: false,
    });
    expect(await server.things()).toEqual([]);
  });

  it("lists at most EVENT_MAX_IDS ids; past that, none and `truncated`, for creates and deletes alike", async () => {
    const changes = await open(server.url, ThingsChangedDocument);
    const texts = Array.from({ length: EVENT_MAX_IDS + 1 }, (_, i) => `t${i}`);
    const created = (await server.execute(CreateThingsDocument, { texts })).data!.createThings.things.map(
      (thing) => thing.id,
    );
    expect(await nextChange(changes)).toMatchObject({ kind: "CREATED", ids: [], count: 4, truncated: true });

    await server.execute(DeleteThingsDetailedDocument, { ids: created });
    expect(await nextChange(changes)).toMatchObject({ kind: "DELETED", ids: [], count: 4, truncated: true });

    await server.seed(["x", "y"]);
    await server.execute(DeleteAllThingsCountDocument, { expectedCount: 2 });
    expect(await nextChange(changes)).toMatchObject({
      kind: "DELETED",
      ids: [],
      count: 2,
      allThings: true,
      truncated: true,
    });
  });

  it("publishes nothing for a dry run or a call that changed nothing", async () => {
    const changes = await open(server.url, ThingsChangedDocument);
    const [kept] = await server.seed(["kept"]);
    await server.execute(CreateThingsDocument, { texts: [] });
    await server.execute(DeleteThingsDetailedDocument, { ids: [String(kept)], dryRun: true });
    await server.execute(DeleteThingsDocument, { ids: ["999999"] });
    // The next event to arrive is this create's: none came before it.
    const last = (await server.execute(CreateThingDocument, { text: "last" })).data!.createThing.id;
    expect(await nextChange(changes)).toMatchObject({ kind: "CREATED", ids: [last], count: 1 });
    await server.clear();
  });

  it("thingsDeleted, next to it on the same server, does not see the creates", async () => {
    const changes = await open(server.url, ThingsChangedDocument);
    const deletes = await open(server.url, ThingsDeletedDocument);
    const created = (await server.execute(CreateThingsDocument, { texts: ["a", "b"] })).data!.createThings.things.map(
      (thing) => thing.id,
    );
    await server.execute(DeleteThingsDocument, { ids: [created[0]!] });

    expect((await nextChange(changes))?.kind).toBe("CREATED");
    expect(await nextChange(changes)).toMatchObject({ kind: "DELETED", ids: [created[0]] });
    // Its first event is the delete: the create never reached it.
    expect((await deletes.next()).data?.thingsDeleted).toMatchObject({ ids: [created[0]], count: 1 });
    await server.clear();
  });
});

describe.skipIf(!redis)("thingsChanged across instances (Redis)", () => {
  it("a create and a delete committed on A reach a subscriber on B with their kinds", async () => {
    const database = await createScratchDatabase();
    cleanups.push(() => database.drop());
    const prefix = `test-${randomBytes(4).toString("hex")}:`;
    const env = { DATABASE_URL: database.url, DATABASE_POOL_SIZE: "4", REDIS_URL: TEST_REDIS_URL };
    // One after the other: the first migrates the fresh database, the second finds it migrated.
    const a = await startServerProcess({ ...env, REDIS_CHANNEL_PREFIX: prefix });
    cleanups.push(() => a.stop());
    const b = await startServerProcess({ ...env, REDIS_CHANNEL_PREFIX: prefix });
    cleanups.push(() => b.stop());
    const raw = await openRawDatabase(database.url);
    cleanups.push(() => raw.close());
    await redisSubscribers(`${prefix}thingsChanged`, 2);

    const onB = await open(`${b.origin}/graphql`, ThingsChangedDocument);
    const created = await executeOverHttp(`${a.origin}/graphql`, CreateThingsDocument, { texts: ["a", "b"] });
    const ids = created.data!.createThings.things.map((thing) => thing.id);
    expect(await nextChange(onB)).toMatchObject({ kind: "CREATED", ids, count: 2, truncated: false });

    await executeOverHttp(`${a.origin}/graphql`, DeleteThingsDocument, { ids });
    const deleted = await nextChange(onB);
    expect(deleted).toMatchObject({ kind: "DELETED", ids, count: 2, allThings: false, truncated: false });
    // `at` crossed Redis as JSON and came back a DateTime.
    expect(Number.isNaN(Date.parse(deleted!.at))).toBe(false);
    expect(await raw.things()).toEqual([]);
  });
});
