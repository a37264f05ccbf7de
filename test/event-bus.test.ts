// The event bus (src/events.ts) without servers: bounded queues in process, and what crosses Redis comes back as
// it left, once per message for every subscriber.
import { randomBytes } from "node:crypto";
import { GraphQLError } from "graphql";
import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import {
  createEventBus,
  createEvents,
  type Delivery,
  type EventBus,
  type Events,
  type ThingsChange,
  type ThingsChangedEvent,
  type ThingsChangeKind,
} from "../src/events.ts";
import { servicesAvailable, TEST_REDIS_URL } from "./support/databases.ts";

const available = await servicesAvailable("Redis event bus tests", ["redis"]);

const limits = { subscriberQueueMax: 3, maxSubscriptions: 2, eventMaxIds: 2 };
const change = (kind: ThingsChangeKind, ids: number[]): ThingsChange => ({
  kind,
  ids,
  count: ids.length,
  allThings: false,
});
const deleted = (ids: number[]) => change("DELETED", ids);

/** Everything a subscription yields until it ends. */
async function drain(iterator: AsyncIterator<Delivery>): Promise<Delivery[]> {
  const deliveries: Delivery[] = [];
  for (let result = await iterator.next(); !result.done; result = await iterator.next()) deliveries.push(result.value);
  return deliveries;
}

describe("the event bus in process", () => {
  it("drops a subscriber that falls more than SUBSCRIBER_QUEUE_MAX behind, ending it with SUBSCRIBER_TOO_SLOW", async () => {
    const events = createEvents({ limits });
    const stalled = events.subscribe();
    const reading = events.subscribe();
    const received: number[] = [];
    for (let id = 1; id <= 5; id++) {
      expect(() => events.publish(deleted([id]))).not.toThrow();
      received.push(...((await reading.next()).value as ThingsChangedEvent).ids);
    }

    const [last, ...rest] = await drain(stalled);
    expect(rest).toEqual([]);
    expect(last).toBeInstanceOf(GraphQLError);
    expect((last as GraphQLError).extensions).toEqual({ code: "SUBSCRIBER_TOO_SLOW", max: 3 });
    expect(received).toEqual([1, 2, 3, 4, 5]);
    // The dropped subscriber's slot is free again: MAX_SUBSCRIPTIONS is 2.
    expect(() => events.subscribe()).not.toThrow();
  });

  it("refuses the subscription past MAX_SUBSCRIPTIONS until one ends", async () => {
    const events: Events = createEvents({ limits });
    const first = events.subscribe();
    events.subscribe();
    expect(() => events.subscribe()).toThrow(
      expect.objectContaining({ extensions: { code: "TOO_MANY_SUBSCRIPTIONS", max: 2 } }),
    );
    await first.return();
    expect(() => events.subscribe()).not.toThrow();
  });

  it("lists the changed ids up to EVENT_MAX_IDS, and says `truncated` when longer, unknown or allThings", async () => {
    const events = createEvents({ limits: { ...limits, subscriberQueueMax: 10 } });
    const subscriber = events.subscribe();
    events.publish(deleted([1, 2]));
    events.publish(change("CREATED", [1, 2, 3]));
    events.publish({ kind: "TRASHED", ids: null, count: 1, allThings: false });
    events.publish({ kind: "PURGED", ids: [], count: 4, allThings: true });
    const shapes = [];
    for (let i = 0; i < 4; i++) {
      const { kind, ids, count, truncated, allThings } = (await subscriber.next()).value as ThingsChangedEvent;
      shapes.push({ kind, ids, count, truncated, allThings });
    }
    expect(shapes).toEqual([
      { kind: "DELETED", ids: [1, 2], count: 2, truncated: false, allThings: false },
      { kind: "CREATED", ids: [], count: 3, truncated: true, allThings: false },
      { kind: "TRASHED", ids: [], count: 1, truncated: true, allThings: false },
      { kind: "PURGED", ids: [], count: 4, truncated: true, allThings: true },
    ]);
  });

  it("publishes nothing for a change of no rows", async () => {
    const events = createEvents({ limits });
    const subscriber = events.subscribe();
    events.publish(change("CREATED", []));
    events.publish({ kind: "PURGED", ids: null, count: 0, allThings: true });
    events.publish(deleted([9]));
    expect(((await subscriber.next()).value as ThingsChangedEvent).ids).toEqual([9]);
  });

  it("keeps events of other kinds out of a subscriber's queue, so they neither reach it nor fill it", async () => {
    const events = createEvents({ limits });
    const deletes = events.subscribe(new Set(["DELETED", "TRASHED"]));
    // More than SUBSCRIBER_QUEUE_MAX (3) events it does not hear, while it reads nothing: it is not dropped.
    for (let id = 1; id <= 5; id++) events.publish(change(id % 2 ? "CREATED" : "RESTORED", [id]));
    events.publish(change("TRASHED", [6]));
    events.publish(deleted([7]));

    const heard = [];
    for (let i = 0; i < 2; i++) {
      const { kind, ids } = (await deletes.next()).value as ThingsChangedEvent;
      heard.push({ kind, ids });
    }
    expect(heard).toEqual([
      { kind: "TRASHED", ids: [6] },
      { kind: "DELETED", ids: [7] },
    ]);
  });

  it("counts subscriptions of every kind against one MAX_SUBSCRIPTIONS", () => {
    const events = createEvents({ limits });
    events.subscribe();
    events.subscribe(new Set(["DELETED"]));
    expect(() => events.subscribe(new Set(["CREATED"]))).toThrow(
      expect.objectContaining({ extensions: { code: "TOO_MANY_SUBSCRIPTIONS", max: 2 } }),
    );
  });

  it("hands every subscriber the same event object, built once", async () => {
    const events = createEvents({ limits });
    const [a, b] = [events.subscribe(), events.subscribe()];
    events.publish(deleted([7]));
    expect((await a.next()).value).toBe((await b.next()).value);
  });
});

/**
 * Subscribes. The bus subscribed its Redis channel before ready() returned, so events published from now on
 * arrive; resolves with the first event or "none" after timeoutMs.
 */
function listen(bus: EventBus, timeoutMs = 2000): Promise<Delivery | "none"> {
  const iterator = bus.events.subscribe();
  return Promise.race([
    iterator.next().then((result) => (result.done ? "none" : result.value)),
    new Promise<"none">((resolve) => setTimeout(() => resolve("none"), timeoutMs)),
  ]).finally(() => void iterator.return());
}

/** Two buses on one Redis, as two instances; `prefixes` the channel prefix of each. */
async function busPair(prefixes: [string, string], eventMaxIds = 1000): Promise<[EventBus, EventBus]> {
  const buses = prefixes.map((channelPrefix) =>
    createEventBus({ redisUrl: TEST_REDIS_URL, channelPrefix, limits: { ...limits, eventMaxIds } }),
  );
  await Promise.all(buses.map((bus) => bus.ready()));
  return buses as [EventBus, EventBus];
}

const freshPrefix = () => `test-${randomBytes(4).toString("hex")}:`;

const at = "2026-11-25T12:00:00.123Z";

/**
 * The first event a bus with this EVENT_MAX_IDS delivers after another client published `messages` (each on a
 * channel under the bus' prefix, in order), as an instance of another version might.
 */
async function receivedFromRaw(
  messages: [channel: string, message: string][],
  eventMaxIds?: number,
): Promise<Delivery | "none"> {
  const prefix = freshPrefix();
  const buses = await busPair([prefix, prefix], eventMaxIds);
  const raw = new Redis(TEST_REDIS_URL);
  try {
    const receiving = listen(buses[0]);
    for (const [channel, message] of messages) await raw.publish(prefix + channel, message);
    return await receiving;
  } finally {
    raw.disconnect();
    await Promise.all(buses.map((bus) => bus.close()));
  }
}

describe.skipIf(!available)("the event bus over Redis", () => {
  it("delivers the event to another bus with the same prefix, with its kind and `at` restored to a Date", async () => {
    const prefix = freshPrefix();
    const [publisher, subscriber] = await busPair([prefix, prefix]);
    try {
      const receiving = listen(subscriber);
      publisher.events.publish(change("RESTORED", [1, 2]));

      const received = await receiving;
      expect(received).toMatchObject({ kind: "RESTORED", ids: [1, 2], count: 2, allThings: false, truncated: false });
      expect((received as ThingsChangedEvent).at).toBeInstanceOf(Date);
    } finally {
      await Promise.all([publisher.close(), subscriber.close()]);
    }
  });

  it("publishes on thingsChanged only, so an instance that also hears the old channel gets each event once", async () => {
    const prefix = freshPrefix();
    const [publisher, subscriber] = await busPair([prefix, prefix]);
    const [raw, marker] = [new Redis(TEST_REDIS_URL), new Redis(TEST_REDIS_URL)];
    try {
      const heard: string[] = [];
      const markerHeard = new Promise<void>((resolve) =>
        raw.on("message", (channel: string, message: string) =>
          message === "marker" ? resolve() : heard.push(channel),
        ),
      );
      await raw.subscribe(`${prefix}thingsChanged`, `${prefix}thingsDeleted`);
      const iterator = subscriber.events.subscribe();
      publisher.events.publish(deleted([1]));
      publisher.events.publish(deleted([2]));
      // Redis delivers in order: the second event right after the first means the first came once.
      expect(((await iterator.next()).value as ThingsChangedEvent).ids).toEqual([1]);
      expect(((await iterator.next()).value as ThingsChangedEvent).ids).toEqual([2]);
      await iterator.return();
      // Published after Redis handled both events, so it reaches `raw` after anything they sent.
      await marker.publish(`${prefix}thingsDeleted`, "marker");
      await markerHeard;
      expect(heard).toEqual([`${prefix}thingsChanged`, `${prefix}thingsChanged`]);
    } finally {
      raw.disconnect();
      marker.disconnect();
      await Promise.all([publisher.close(), subscriber.close()]);
    }
  });

  it("hears an older version's delete on the old thingsDeleted channel, which has no kind, as DELETED", async () => {
    const message = JSON.stringify({ ids: [4], count: 1, allThings: false, at });
    expect(await receivedFromRaw([["thingsDeleted", message]])).toEqual({
      kind: "DELETED",
      ids: [4],
      count: 1,
      allThings: false,
      truncated: false,
      at: new Date(at),
    });
  });

  it("bounds what another instance sends (an older version listed every requested id) and ignores what is not an event of a known kind", async () => {
    const event = { ids: [1, 2, 3], count: 1, allThings: false, at };
    const received = await receivedFromRaw(
      [
        ["thingsChanged", "not json"],
        ["thingsChanged", JSON.stringify({ hello: 1 })],
        // On the new channel a kind is required, and only the kinds this version knows.
        ["thingsChanged", JSON.stringify(event)],
        ["thingsChanged", JSON.stringify({ ...event, kind: "RENAMED" })],
        ["thingsChanged", JSON.stringify({ ...event, kind: "TRASHED" })],
      ],
      2,
    );
    expect(received).toEqual({
      kind: "TRASHED",
      ids: [],
      count: 1,
      allThings: false,
      truncated: true,
      at: new Date(at),
    });
  });

  it("keeps deployments with different prefixes apart", async () => {
    const [publisher, other] = await busPair([freshPrefix(), freshPrefix()]);
    try {
      const receiving = listen(other, 500);
      publisher.events.publish(deleted([3]));
      expect(await receiving).toBe("none");
    } finally {
      await Promise.all([publisher.close(), other.close()]);
    }
  });
});
