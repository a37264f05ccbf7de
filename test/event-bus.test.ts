// The Redis transport of thingsDeleted (src/events.ts), without servers: what crosses Redis comes back as it left.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createEventBus, type EventBus, type ThingsDeletedEvent } from "../src/events.ts";
import { redisSubscribers, servicesAvailable, TEST_REDIS_URL } from "./support/databases.ts";

const available = await servicesAvailable("Redis event bus tests", ["redis"]);

/**
 * Subscribes, waits until Redis has confirmed it, and resolves with the first event or "none" after timeoutMs (long
 * by default: an expected event that is merely slow on a busy machine must not read as "none").
 */
async function listen(
  bus: EventBus,
  prefix: string,
  timeoutMs = 20_000,
): Promise<{ event: Promise<ThingsDeletedEvent | "none"> }> {
  const iterator = bus.events.subscribe("thingsDeleted")[Symbol.asyncIterator]();
  const first = iterator.next();
  await redisSubscribers(`${prefix}thingsDeleted`, 1);
  // Wrapped: an async function returning a bare promise would make `await listen()` wait for the event itself.
  const event = Promise.race([
    first.then((result) => (result.done ? "none" : result.value)),
    new Promise<"none">((resolve) => setTimeout(() => resolve("none"), timeoutMs)),
  ]).finally(() => void iterator.return?.());
  return { event };
}

describe.skipIf(!available)("thingsDeleted over Redis", () => {
  it("delivers the event to another bus with the same prefix, `at` restored to the same Date", async () => {
    const prefix = `test-${randomBytes(4).toString("hex")}:`;
    const publisher = createEventBus({ redisUrl: TEST_REDIS_URL, channelPrefix: prefix });
    const subscriber = createEventBus({ redisUrl: TEST_REDIS_URL, channelPrefix: prefix });
    try {
      await Promise.all([publisher.ready(), subscriber.ready()]);
      const sent: ThingsDeletedEvent = { ids: [1, 2], count: 2, allThings: false, at: new Date("2026-11-25T12:00:00.123Z") };
      const receiving = await listen(subscriber, prefix);
      publisher.events.publish("thingsDeleted", sent);

      const received = await receiving.event;
      expect(received).toEqual(sent);
      expect((received as ThingsDeletedEvent).at).toBeInstanceOf(Date);
    } finally {
      await Promise.all([publisher.close(), subscriber.close()]);
    }
  });

  it("keeps deployments with different prefixes apart", async () => {
    const otherPrefix = `test-${randomBytes(4).toString("hex")}:`;
    const publisher = createEventBus({ redisUrl: TEST_REDIS_URL, channelPrefix: `test-${randomBytes(4).toString("hex")}:` });
    const other = createEventBus({ redisUrl: TEST_REDIS_URL, channelPrefix: otherPrefix });
    try {
      const receiving = await listen(other, otherPrefix, 500);
      publisher.events.publish("thingsDeleted", { ids: [3], count: 1, allThings: false, at: new Date() });
      expect(await receiving.event).toBe("none");
    } finally {
      await Promise.all([publisher.close(), other.close()]);
    }
  });
});
