// The event bus (src/events.ts) without servers: bounded queues in process, and what crosses Redis comes back as
// it left, once per message for every subscriber.
import { randomBytes } from "node:crypto";
import { GraphQLError } from "graphql";
import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import {
  createEventBus,
  createEvents,
  type DeletedThings,
  type Delivery,
  type EventBus,
  type Events,
  type ThingsDeletedEvent,
} from "../src/events.ts";
import { servicesAvailable, TEST_REDIS_URL } from "./support/databases.ts";

const available = await servicesAvailable("Redis event bus tests", ["redis"]);

const limits = { subscriberQueueMax: 3, maxSubscriptions: 2, eventMaxIds: 2 };
const deleted = (removedIds: number[]): DeletedThings => ({ removedIds, count: removedIds.length, allThings: false });

/** Everything a subscription yields until it ends. */
async function drain(iterator: AsyncIterator<Delivery>): Promise<Delivery[]> {
  const deliveries: Delivery[] = [];
  for (let result = await iterator.next(); !result.done; result = await iterator.next()) deliveries.push(result.value);
  return deliveries;
}

describe("thingsDeleted in process", () => {
  it("drops a subscriber that falls more than SUBSCRIBER_QUEUE_MAX behind, ending it with SUBSCRIBER_TOO_SLOW", async () => {
    const events = createEvents({ limits });
    const stalled = events.subscribe();
    const reading = events.subscribe();
    const received: number[] = [];
    for (let id = 1; id <= 5; id++) {
      expect(() => events.publish(deleted([id]))).not.toThrow();
      received.push(...((await reading.next()).value as ThingsDeletedEvent).ids);
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

  it("lists the removed ids up to EVENT_MAX_IDS, and says `truncated` when longer or unknown", async () => {
    const events = createEvents({ limits: { ...limits, subscriberQueueMax: 10 } });
    const subscriber = events.subscribe();
    events.publish(deleted([1, 2]));
    events.publish(deleted([1, 2, 3]));
    events.publish({ removedIds: null, count: 1, allThings: false });
    events.publish({ removedIds: [], count: 4, allThings: true });
    const shapes = [];
    for (let i = 0; i < 4; i++) {
      const { ids, count, truncated, allThings } = (await subscriber.next()).value as ThingsDeletedEvent;
      shapes.push({ ids, count, truncated, allThings });
    }
    expect(shapes).toEqual([
      { ids: [1, 2], count: 2, truncated: false, allThings: false },
      { ids: [], count: 3, truncated: true, allThings: false },
      { ids: [], count: 1, truncated: true, allThings: false },
      { ids: [], count: 4, truncated: true, allThings: true },
    ]);
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

describe.skipIf(!available)("thingsDeleted over Redis", () => {
  it("delivers the event to another bus with the same prefix, `at` restored to a Date", async () => {
    const prefix = freshPrefix();
    const [publisher, subscriber] = await busPair([prefix, prefix]);
    try {
      const receiving = listen(subscriber);
      publisher.events.publish(deleted([1, 2]));

      const received = await receiving;
      expect(received).toMatchObject({ ids: [1, 2], count: 2, allThings: false, truncated: false });
      expect((received as ThingsDeletedEvent).at).toBeInstanceOf(Date);
    } finally {
      await Promise.all([publisher.close(), subscriber.close()]);
    }
  });

  it("bounds what another instance sends (an older version listed every requested id) and ignores what is not an event", async () => {
    const prefix = freshPrefix();
    const [subscriber] = await busPair([prefix, prefix], 2);
    const raw = new Redis(TEST_REDIS_URL);
    try {
      const receiving = listen(subscriber);
      await raw.publish(`${prefix}thingsDeleted`, "not json");
      await raw.publish(`${prefix}thingsDeleted`, JSON.stringify({ hello: 1 }));
      const at = "2026-11-25T12:00:00.123Z";
      await raw.publish(`${prefix}thingsDeleted`, JSON.stringify({ ids: [1, 2, 3], count: 1, allThings: false, at }));
      expect(await receiving).toEqual({ ids: [], count: 1, allThings: false, truncated: true, at: new Date(at) });
    } finally {
      raw.disconnect();
      await subscriber.close();
    }
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
