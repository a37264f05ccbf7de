// Events published to subscribers after a delete commits: in-process by default, through Redis pub/sub when
// REDIS_URL is set, so that a subscriber connected to one instance hears deletes committed through any other.
import { createRedisEventTarget } from "@graphql-yoga/redis-event-target";
import { createPubSub } from "graphql-yoga";
import { Redis } from "ioredis";
import { redactUrl } from "./config.ts";

export interface ThingsDeletedEvent {
  /**
   * Ids that no longer exist because of this call: the distinct requested ids for deleteThings (a client can evict
   * every one of them), the removed rows for deleteThingsWhere; empty when `allThings` is true.
   */
  ids: number[];
  /** Rows this call removed. */
  count: number;
  /** deleteAllThings emptied the table: evict every Thing. */
  allThings: boolean;
  /** Commit time. */
  at: Date;
}

type Topics = { thingsDeleted: [ThingsDeletedEvent] };

/** What createPubSub accepts as `eventTarget` (the type lives in a package we do not depend on directly). */
type EventTarget = ReturnType<typeof createRedisEventTarget<CustomEvent>>;

export type Events = ReturnType<typeof createPubSub<Topics>>;

export interface EventBus {
  events: Events;
  /** Waits until Redis reported itself ready (a no-op in process), so a broken REDIS_URL fails the start. */
  ready(): Promise<void>;
  /** Disconnects from Redis; in process there is nothing to close. */
  close(): Promise<void>;
}

export interface EventBusOptions {
  /** Unset: in-process pub/sub, which only reaches subscribers of this process. */
  redisUrl?: string;
  /** Prepended to every channel, so deployments sharing one Redis do not hear each other. */
  channelPrefix?: string;
  /**
   * Connection errors after ready(); ioredis keeps reconnecting meanwhile, and events published while it is down are
   * lost. Before, the first one rejects ready() instead.
   */
  onError?: (error: Error) => void;
}

/** How long the start waits for Redis before it gives up with a clear message. */
const READY_TIMEOUT_MS = 5000;

/** REDIS_URL is set but Redis does not answer. */
export class EventBusError extends Error {
  override name = "EventBusError";
}

/**
 * Payloads cross Redis as JSON, where a Date becomes its ISO string; the reviver turns `at` back into the Date the
 * DateTime scalar and the ThingsDeletedEvent type promise, so both transports deliver the same event.
 */
const serializer = {
  stringify: (value: unknown) => JSON.stringify(value),
  parse: (text: string): unknown =>
    JSON.parse(text, (key, value: unknown) => (key === "at" && typeof value === "string" ? new Date(value) : value)),
};

export function createEventBus({ redisUrl, channelPrefix = "", onError = () => {} }: EventBusOptions = {}): EventBus {
  if (redisUrl === undefined) {
    return { events: createPubSub<Topics>(), ready: async () => {}, close: async () => {} };
  }
  // A subscribed connection cannot publish, hence two. Not lazy: errors show at start, and ioredis reconnects by itself.
  const publishClient = new Redis(redisUrl);
  const subscribeClient = new Redis(redisUrl);
  const where = redactUrl(redisUrl);
  // Until ready() succeeded, the first connection error fails the start with one line; ioredis would otherwise
  // report (and log) every reconnection attempt.
  let started = false;
  let failStart: (error: Error) => void = () => {};
  const startFailed = new Promise<never>((_, reject) => {
    failStart = (error) => reject(new EventBusError(`Cannot connect to Redis at ${where} (REDIS_URL): ${error.message}`));
  });
  startFailed.catch(() => {});
  for (const client of [publishClient, subscribeClient]) {
    client.on("error", (error: Error) => (started ? onError(error) : failStart(error)));
  }
  const target = createRedisEventTarget<CustomEvent>({ publishClient, subscribeClient, serializer });
  return {
    events: createPubSub<Topics>({ eventTarget: prefixed(target, channelPrefix) }),
    ready: async () => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new EventBusError(`Redis at ${where} did not answer within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
      });
      try {
        await Promise.race([Promise.all([publishClient.ping(), subscribeClient.ping()]), startFailed, timeout]);
        started = true;
      } finally {
        clearTimeout(timer);
      }
    },
    close: async () => {
      // quit() waits for pending replies; disconnect() when Redis is gone and quit would wait for a reconnect.
      await Promise.allSettled(
        [publishClient, subscribeClient].map((client) => (client.status === "ready" ? client.quit() : client.disconnect())),
      );
    },
  };
}

/** The same event target with every topic (= Redis channel) under `prefix`. */
function prefixed(target: EventTarget, prefix: string): EventTarget {
  if (prefix === "") return target;
  return {
    addEventListener: (type, listener) => target.addEventListener(prefix + type, listener),
    removeEventListener: (type, listener) => target.removeEventListener(prefix + type, listener),
    dispatchEvent: (event) => target.dispatchEvent(new CustomEvent(prefix + event.type, { detail: event.detail })),
  };
}

/** In-process events, as before REDIS_URL existed (tests, a single instance). */
export function createEvents(): Events {
  return createEventBus().events;
}
