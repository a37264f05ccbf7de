// Events published to subscribers after a change of Things commits: in-process by default, through Redis pub/sub
// when REDIS_URL is set, so that a subscriber connected to one instance hears changes committed through any other.
// Everything is bounded, so neither a stalled client nor a huge change can take the process down: every subscriber
// has its own queue of at most SUBSCRIBER_QUEUE_MAX events (one more and it is dropped), at most MAX_SUBSCRIPTIONS
// are open, an event lists at most EVENT_MAX_IDS ids and is built (and sent to Redis) once for all subscribers,
// and publishing never throws into the change that committed.
import { createRedisEventTarget } from "@graphql-yoga/redis-event-target";
import type { GraphQLError } from "graphql";
import type { Redis } from "ioredis";
import { DEFAULT_EVENT_LIMITS, redactUrl, type EventLimits } from "./config.ts";
import { ErrorCode, userError } from "./errors.ts";
import { ioredis } from "./lazy-require.ts";
import { createLogger, type Logger } from "./logger.ts";
import { pluralize } from "./plural.ts";

/** Every kind of committed change, in the order the GraphQL enum ThingsChangeKind lists them. */
export const THINGS_CHANGE_KINDS = ["CREATED", "DELETED", "TRASHED", "RESTORED", "PURGED"] as const;

export type ThingsChangeKind = (typeof THINGS_CHANGE_KINDS)[number];

/** What a committed call tells the bus; the bus turns it into the one event all subscribers share. */
export interface ThingsChange {
  kind: ThingsChangeKind;
  /** Exactly the changed rows, or null when the call did not learn which they were. */
  ids: readonly number[] | null;
  /**
   * The distinct ids a count-only call (ids null) asked for: they are exactly the changed rows when every one of
   * them changed (count equals their number), and say nothing otherwise.
   */
  requestedIds?: readonly number[];
  /** Rows this call changed; 0 publishes nothing. */
  count: number;
  /** The call changed every row: deleteAllThings (DELETED, TRASHED) or emptying the whole trash (PURGED). */
  allThings: boolean;
}

export interface ThingsChangedEvent {
  kind: ThingsChangeKind;
  /** Exactly the rows this call changed, when they are known and at most EVENT_MAX_IDS; otherwise empty. */
  ids: number[];
  /** Rows this call changed. */
  count: number;
  /** The call changed every row (see ThingsChange): evict, or refetch, everything. */
  allThings: boolean;
  /** `ids` is not the full list of changed rows (too long, unknown, or allThings): refetch instead of evicting. */
  truncated: boolean;
  /** Commit time. */
  at: Date;
}

/** What a subscription yields: events, and last, if it fell too far behind, the SUBSCRIBER_TOO_SLOW error. */
export type Delivery = ThingsChangedEvent | GraphQLError;

/** One subscription's events; `return()` ends it (Yoga calls it when the client disconnects). */
export interface EventStream extends AsyncIterableIterator<Delivery, undefined> {
  return(): Promise<IteratorResult<Delivery, undefined>>;
}

export interface Events {
  /** Never throws: a delivery that fails is logged, and the call that committed still answers. */
  publish(change: ThingsChange): void;
  /**
   * Events of `kinds` only (all kinds when undefined): others never enter this subscriber's queue. Throws
   * TOO_MANY_SUBSCRIPTIONS at MAX_SUBSCRIPTIONS, counted over all kinds; `return()` (the client left) or a drop
   * frees the slot.
   */
  subscribe(kinds?: ReadonlySet<ThingsChangeKind>): EventStream;
}

export interface EventBus {
  events: Events;
  /** Waits until Redis reported itself ready (a no-op in process), so a broken REDIS_URL fails the start. */
  ready(): Promise<void>;
  /** Disconnects from Redis; in process there is nothing to close. */
  close(): Promise<void>;
}

/** What the bus reports to the metrics (src/metrics.ts); every call is a counter step, nothing is kept. */
export interface EventMetrics {
  eventPublished(kind: ThingsChangeKind): void;
  subscriberDropped(): void;
  subscriptionOpened(): void;
  subscriptionClosed(): void;
}

export const NO_EVENT_METRICS: EventMetrics = {
  eventPublished: () => {},
  subscriberDropped: () => {},
  subscriptionOpened: () => {},
  subscriptionClosed: () => {},
};

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
  limits?: EventLimits;
  /** Dropped and refused subscribers (warn), lost events (error). Silent by default. */
  logger?: Logger;
  /** Counts published events, open and dropped subscriptions; nothing by default. */
  metrics?: EventMetrics;
}

/** How long the start waits for Redis before it gives up with a clear message. */
const READY_TIMEOUT_MS = 5000;

/** The Redis channel under the prefix. */
const TOPIC = "thingsChanged";

/**
 * Where versions before thingsChanged published their deletes, without a `kind`. Still heard (as DELETED) so that a
 * rolling upgrade loses no delete made through an instance not yet upgraded; never published to.
 */
const LEGACY_DELETES_TOPIC = "thingsDeleted";

/** REDIS_URL is set but Redis does not answer. */
export class EventBusError extends Error {
  override name = "EventBusError";
}

/**
 * Payloads cross Redis as JSON, where a Date becomes its ISO string; the reviver turns `at` back into the Date the
 * DateTime scalar and the ThingsChangedEvent type promise, so both transports deliver the same event. A message that
 * is not JSON parses to null rather than throwing inside ioredis' message handler, where nothing would catch it.
 */
const serializer = {
  stringify: (value: unknown) => JSON.stringify(value),
  parse: (text: string): unknown => {
    try {
      return JSON.parse(text, (key, value: unknown) =>
        key === "at" && typeof value === "string" ? new Date(value) : value,
      );
    } catch {
      return null;
    }
  },
};

/** The event every subscriber shares: `ids` only when they are exactly the changed rows and not more than maxIds. */
function thingsChangedEvent(
  { kind, ids: readIds, requestedIds, count, allThings }: ThingsChange,
  maxIds: number,
): ThingsChangedEvent {
  const changedIds = readIds ?? (requestedIds?.length === count ? requestedIds : null);
  const ids = !allThings && changedIds !== null && changedIds.length <= maxIds ? [...changedIds] : null;
  return { kind, ids: ids ?? [], count, allThings, truncated: ids === null, at: new Date() };
}

const isKind = (value: unknown): value is ThingsChangeKind => THINGS_CHANGE_KINDS.some((kind) => kind === value);

/**
 * An event that came through Redis, checked and bounded again: another instance may run an older version (whose
 * events list every requested id, unbounded, and have no `kind`: `missingKind` says what it meant there) or a
 * different EVENT_MAX_IDS.
 */
function receivedEvent(
  detail: unknown,
  maxIds: number,
  missingKind: ThingsChangeKind | undefined,
): ThingsChangedEvent | undefined {
  if (typeof detail !== "object" || detail === null) return undefined;
  const fields = detail as Partial<Record<keyof ThingsChangedEvent, unknown>>;
  const { ids, count, allThings, truncated, at } = fields;
  const kind = fields.kind ?? missingKind;
  const valid =
    isKind(kind) &&
    Array.isArray(ids) &&
    ids.every(Number.isInteger) &&
    Number.isInteger(count) &&
    typeof allThings === "boolean";
  if (!valid || !(at instanceof Date)) return undefined;
  const listed = truncated !== true && ids.length <= maxIds;
  return { kind, ids: listed ? (ids as number[]) : [], count: count as number, allThings, truncated: !listed, at };
}

/** One subscriber's bounded queue, read by Yoga through the async-iterator protocol. */
class Subscriber implements EventStream {
  #queue: ThingsChangedEvent[] = [];
  /** A `next()` waiting for the next event: set only while the queue is empty. */
  #waiting: ((result: IteratorResult<Delivery, undefined>) => void) | undefined;
  /** Set when dropped: delivered after nothing else, then the stream ends. */
  #ending: GraphQLError | undefined;
  #closed = false;

  constructor(
    /** The kinds this subscriber hears; undefined: all. */
    readonly kinds: ReadonlySet<ThingsChangeKind> | undefined,
    private readonly detach: () => void,
  ) {}

  /** False when `max` events are already waiting: the caller drops this subscriber. */
  offer(event: ThingsChangedEvent, max: number): boolean {
    if (this.#waiting) {
      this.#waiting({ value: event, done: false });
      this.#waiting = undefined;
      return true;
    }
    if (this.#queue.length >= max) return false;
    this.#queue.push(event);
    return true;
  }

  /** Frees the queue and the slot now; the client reads `error` (and the end of the stream) if it ever reads again. */
  drop(error: GraphQLError): void {
    this.#queue = [];
    this.#ending = error;
    this.#closed = true;
    this.detach();
  }

  next(): Promise<IteratorResult<Delivery, undefined>> {
    const event = this.#queue.shift();
    if (event) return Promise.resolve({ value: event, done: false });
    const ending = this.#ending;
    if (ending) {
      this.#ending = undefined;
      return Promise.resolve({ value: ending, done: false });
    }
    if (this.#closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.#waiting = resolve));
  }

  return(): Promise<IteratorResult<Delivery, undefined>> {
    this.#queue = [];
    this.#ending = undefined;
    this.#closed = true;
    this.#waiting?.({ value: undefined, done: true });
    this.#waiting = undefined;
    this.detach();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

/** The subscribers of this process, and handing one shared event object to each of them. */
function createFanOut({ subscriberQueueMax, maxSubscriptions }: EventLimits, logger: Logger, metrics: EventMetrics) {
  const subscribers = new Set<Subscriber>();
  return {
    deliver(event: ThingsChangedEvent): void {
      for (const subscriber of subscribers) {
        // Before offer(): an event the subscriber does not hear neither waits in its queue nor counts against it.
        if (subscriber.kinds?.has(event.kind) === false) continue;
        if (subscriber.offer(event, subscriberQueueMax)) continue;
        const message = `This subscription fell more than ${pluralize(subscriberQueueMax, "event")} behind and was dropped; refetch and subscribe again`;
        subscriber.drop(userError(ErrorCode.SUBSCRIBER_TOO_SLOW, message, { max: subscriberQueueMax }));
        metrics.subscriberDropped();
        logger.warn({ code: ErrorCode.SUBSCRIBER_TOO_SLOW, max: subscriberQueueMax }, "slow subscriber dropped");
      }
    },
    subscribe(kinds: ReadonlySet<ThingsChangeKind> | undefined): Subscriber {
      if (subscribers.size >= maxSubscriptions) {
        logger.warn({ code: ErrorCode.TOO_MANY_SUBSCRIPTIONS, max: maxSubscriptions }, "subscription refused");
        throw userError(
          ErrorCode.TOO_MANY_SUBSCRIPTIONS,
          `This instance already serves MAX_SUBSCRIPTIONS (${maxSubscriptions}) subscriptions; try again later`,
          { max: maxSubscriptions },
        );
      }
      // A dropped subscriber detaches again when its client leaves; only the first detach closes it.
      const subscriber = new Subscriber(kinds, () => subscribers.delete(subscriber) && metrics.subscriptionClosed());
      subscribers.add(subscriber);
      metrics.subscriptionOpened();
      return subscriber;
    },
  };
}

export function createEventBus({
  redisUrl,
  channelPrefix = "",
  onError = () => {},
  limits = DEFAULT_EVENT_LIMITS,
  logger = createLogger("silent"),
  metrics = NO_EVENT_METRICS,
}: EventBusOptions = {}): EventBus {
  const fanOut = createFanOut(limits, logger, metrics);
  const lost = (error: unknown) => logger.error({ err: error }, "thingsChanged event lost");
  /** Runs `send` with what it throws logged: the change has committed, and its caller must get its answer. */
  const publishWith = (send: (event: ThingsChangedEvent) => void) => (change: ThingsChange) => {
    if (change.count <= 0) return;
    try {
      send(thingsChangedEvent(change, limits.eventMaxIds));
      metrics.eventPublished(change.kind);
    } catch (error) {
      lost(error);
    }
  };
  const subscribe = (kinds?: ReadonlySet<ThingsChangeKind>) => fanOut.subscribe(kinds);
  if (redisUrl === undefined) {
    return {
      events: { publish: publishWith(fanOut.deliver), subscribe },
      ready: async () => {},
      close: async () => {},
    };
  }
  // A subscribed connection cannot publish, hence two. Not lazy: errors show at start, and ioredis reconnects by itself.
  const { Redis: RedisClient } = ioredis();
  const publishClient: Redis = new RedisClient(redisUrl);
  const subscribeClient: Redis = new RedisClient(redisUrl);
  const where = redactUrl(redisUrl);
  // Until ready() succeeded, the first connection error fails the start with one line; ioredis would otherwise
  // report (and log) every reconnection attempt.
  let started = false;
  let failStart: (error: Error) => void = () => {};
  const startFailed = new Promise<never>((_, reject) => {
    failStart = (error) =>
      reject(new EventBusError(`Cannot connect to Redis at ${where} (REDIS_URL): ${error.message}`));
  });
  startFailed.catch(() => {});
  for (const client of [publishClient, subscribeClient]) {
    client.on("error", (error: Error) => (started ? onError(error) : failStart(error)));
  }
  const target = createRedisEventTarget<CustomEvent>({ publishClient, subscribeClient, serializer });
  const channel = channelPrefix + TOPIC;
  // One listener per channel for the whole process, added now: each message is parsed once for all subscribers, and
  // its SUBSCRIBE goes out before ready()'s PING, so a subscription opened after the start hears every later event.
  const listen = (listened: string, missingKind: ThingsChangeKind | undefined) =>
    target.addEventListener(listened, ({ detail }) => {
      const event = receivedEvent(detail, limits.eventMaxIds, missingKind);
      if (event) fanOut.deliver(event);
      else logger.warn({ channel: listened }, "ignored a malformed thingsChanged message");
    });
  listen(channel, undefined);
  listen(channelPrefix + LEGACY_DELETES_TOPIC, "DELETED");
  // Not target.dispatchEvent: it drops publish()'s promise, whose rejection (Redis unreachable past ioredis'
  // retries) would be an unhandled rejection, which ends a Node process.
  const publish = publishWith((event) => void publishClient.publish(channel, serializer.stringify(event)).catch(lost));
  return {
    events: { publish, subscribe },
    ready: async () => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new EventBusError(`Redis at ${where} did not answer within ${READY_TIMEOUT_MS} ms`)),
          READY_TIMEOUT_MS,
        );
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
        [publishClient, subscribeClient].map(async (client) =>
          client.status === "ready" ? client.quit() : client.disconnect(),
        ),
      );
    },
  };
}

/** In-process events (tests, a single instance). */
export function createEvents(options: Pick<EventBusOptions, "limits" | "logger" | "metrics"> = {}): Events {
  return createEventBus(options).events;
}
