// Two real server processes on two loopback ports, sharing one PostgreSQL database and one Redis: what running N
// instances behind a load balancer needs (events reach every instance, concurrent deletes stay consistent).
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createScratchDatabase,
  openRawDatabase,
  redisSubscribers,
  servicesAvailable,
  TEST_REDIS_URL,
  type RawDatabase,
  type ScratchDatabase,
} from "./support/databases.ts";
import {
  DeleteThingsDetailedDocument,
  DeleteThingsDocument,
  DeleteThingsWhereDocument,
  ThingsDeletedDocument,
  type ThingsDeletedSubscription,
} from "./gql/graphql.ts";
import { executeOverHttp, subscribe, type Subscription } from "./support/server.ts";
import { startServerProcess, type ServerProcess } from "./support/processes.ts";

const available = await servicesAvailable("multi-instance tests", ["postgres", "redis"]);

let database: ScratchDatabase;
let raw: RawDatabase;
let a: ServerProcess;
let b: ServerProcess;
/** The Redis channel of the events under this file's prefix. */
let channel = "";
/** Servers with an SSE subscription open, each holding one Redis subscription to `channel`. */
const subscribedServers = new Set<ServerProcess>();
const subscriptions: Subscription<unknown>[] = [];

beforeAll(async () => {
  if (!available) return;
  database = await createScratchDatabase("postgresql");
  // A prefix of its own, so that another test run on the same Redis cannot send this one events.
  const env = {
    DATABASE_URL: database.url,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_CHANNEL_PREFIX: `test-${randomBytes(4).toString("hex")}:`,
    DATABASE_POOL_SIZE: "4",
  };
  channel = `${env.REDIS_CHANNEL_PREFIX}thingsChanged`;
  // Started together, as a deployment starts its instances: both migrate the same fresh database at once.
  [a, b] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  raw = await openRawDatabase(database.url);
});
afterAll(async () => {
  for (const subscription of subscriptions) subscription.close();
  await Promise.all([a?.stop(), b?.stop()]);
  await raw?.close();
  await database?.drop();
});

const graphql = (server: ServerProcess) => `${server.origin}/graphql`;

async function subscribeTo(server: ServerProcess): Promise<Subscription<ThingsDeletedSubscription>> {
  const subscription = await subscribe(fetch, graphql(server), ThingsDeletedDocument);
  subscriptions.push(subscription);
  subscribedServers.add(server);
  // The SSE response starts before Redis confirmed the SUBSCRIBE: wait for Redis to count this server in.
  await redisSubscribers(channel, subscribedServers.size);
  return subscription;
}

describe.skipIf(!available)("two instances sharing PostgreSQL and Redis", () => {
  it("both migrated the database once and are ready", async () => {
    for (const server of [a, b]) expect((await fetch(`${server.origin}/ready`)).status).toBe(200);
    expect(a.output() + b.output()).toMatch(/applied migration/);
  });

  it("a delete committed on A reaches a subscriber on B exactly once, with the ids, the count and a valid time", async () => {
    const onB = await subscribeTo(b);
    const onA = await subscribeTo(a);
    const [x, y, z] = await raw.seed(["x", "y", "z"]);
    const before = Date.now();

    const result = await executeOverHttp(graphql(a), DeleteThingsDocument, { ids: [String(x), String(y)] });
    expect(result.data?.deleteThings.deletedCount).toBe(2);

    const event = (await onB.next()).data?.thingsDeleted;
    expect(event).toMatchObject({ ids: [String(x), String(y)], count: 2, allThings: false });
    // The Date crossed Redis as JSON and came back a DateTime.
    expect(Date.parse(event!.at)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(event!.at)).toBeLessThanOrEqual(Date.now() + 1000);
    expect((await onA.next()).data?.thingsDeleted.ids).toEqual([String(x), String(y)]);

    // Exactly once: the next event B sees is the next delete's, not a duplicate of the first.
    await executeOverHttp(graphql(a), DeleteThingsDocument, { ids: [String(z)] });
    expect((await onB.next()).data?.thingsDeleted.ids).toEqual([String(z)]);
  });

  it("concurrent deletes on both instances with overlapping ids remove every row exactly once", async () => {
    await raw.clear();
    const ids = await raw.seed(Array.from({ length: 600 }, (_, i) => `row ${i % 3} #${i}`));
    const pick = (step: number, offset: number) => ids.filter((_, i) => (i + offset) % step !== 0).map(String);
    const calls = [
      executeOverHttp(graphql(a), DeleteThingsDetailedDocument, { ids: pick(2, 0) }),
      executeOverHttp(graphql(b), DeleteThingsDetailedDocument, { ids: pick(3, 1) }),
      executeOverHttp(graphql(a), DeleteThingsDetailedDocument, { ids: pick(5, 2) }),
      executeOverHttp(graphql(b), DeleteThingsDetailedDocument, { ids: pick(2, 1) }),
    ];
    // Serializable count-then-delete transactions on both instances, over the same rows.
    const filtered = [a, b, a, b].map((server, i) =>
      executeOverHttp(graphql(server), DeleteThingsWhereDocument, {
        where: { textContains: `row ${i % 3}` },
        atMost: 600,
      }),
    );

    const byIds = await Promise.all(calls);
    const byFilter = await Promise.all(filtered);

    const deleted = [
      ...byIds.map((result) => {
        expect(result.errors).toBeUndefined();
        return result.data!.deleteThings.deletedIds;
      }),
      ...byFilter.map((result) => {
        expect(result.errors).toBeUndefined();
        return result.data!.deleteThingsWhere.deletedIds;
      }),
    ].flat();
    expect(new Set(deleted).size).toBe(deleted.length);
    const remaining = (await raw.things()).map((thing) => String(thing.id));
    expect(deleted.length + remaining.length).toBe(ids.length);
    expect([...deleted, ...remaining].sort()).toEqual(ids.map(String).sort());
  });
});
