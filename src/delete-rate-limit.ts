// Rows of Things deleted per subject and window (DELETE_RATE_LIMIT), for good or into the trash, counted by
// rate-limiter-flexible: in Redis when REDIS_URL is set, so every instance draws on one allowance, in process
// otherwise. A request reserves its upper bound before any SQL and gives back what it did not delete.
//
// When Redis does not answer (down, or slower than REDIS_TIMEOUT_MS), an in-process insurance limiter with the same
// limit counts instead: deletes keep working and stay limited, per instance, until Redis is back. Refusing every
// delete while Redis is down would turn an outage of a counter into an outage of the API.
import type { GraphQLError } from "graphql";
import type { Redis } from "ioredis";
import type { RateLimiterAbstract } from "rate-limiter-flexible";
import { redactUrl, type DeleteRateLimitSettings } from "./config.ts";
import { ErrorCode, userError } from "./errors.ts";
import { ioredis, rateLimiterFlexible } from "./lazy-require.ts";
import { createLogger, type Logger } from "./logger.ts";

/** A Redis command waits this long at most before the insurance limiter answers instead. */
export const REDIS_TIMEOUT_MS = 500;

/** Rows reserved for one request; `settle` gives back those it did not delete. */
export interface Reservation {
  granted: true;
  /** Never throws: a refund that fails only leaves the subject less allowance, which is logged. */
  settle(deletedRows: number): Promise<void>;
}

export interface Refusal {
  granted: false;
  /** RATE_LIMITED, with `retryAfterMs` (null when no wait helps) and the limit. */
  error: GraphQLError;
}

export interface DeleteRateLimit {
  /** Reserves `rows` for `subject` (rows > 0), or refuses without counting them. */
  reserve(subject: string, rows: number): Promise<Reservation | Refusal>;
  /** Disconnects from Redis; in process there is nothing to close. */
  close(): Promise<void>;
}

export interface DeleteRateLimitOptions {
  limit: DeleteRateLimitSettings;
  /** Unset: counted in this process only. */
  redisUrl?: string;
  /** Prepended to the Redis keys (REDIS_CHANNEL_PREFIX), so deployments sharing one Redis count apart. */
  keyPrefix?: string;
  /** Redis trouble (warn) and failed refunds (error). Silent by default. */
  logger?: Logger;
}

const KEY = "delete-rows";

const rowCount = (count: number) => `${count} ${count === 1 ? "row" : "rows"}`;

function describe({ rows, windowMs }: DeleteRateLimitSettings): string {
  return `${rowCount(rows)} per ${windowMs / 1000} s`;
}

export function createDeleteRateLimit({
  limit,
  redisUrl,
  keyPrefix = "",
  logger = createLogger("silent"),
}: DeleteRateLimitOptions): DeleteRateLimit {
  const options = { points: limit.rows, duration: limit.windowMs / 1000, keyPrefix: keyPrefix + KEY };
  const { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } = rateLimiterFlexible();
  const memory = new RateLimiterMemory(options);
  let limiter: RateLimiterAbstract = memory;
  let client: Redis | undefined;
  if (redisUrl !== undefined) {
    // Fail fast rather than queue: a command while disconnected, or past the timeout, goes to the insurance limiter
    // at once instead of holding the request.
    client = new (ioredis().Redis)(redisUrl, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: REDIS_TIMEOUT_MS,
    });
    // One warning per outage: ioredis reports every reconnection attempt.
    let down = false;
    client.on("error", (error: Error) => {
      if (down) return;
      down = true;
      logger.warn(
        { err: error, redis: redactUrl(redisUrl) },
        "delete rate limit: Redis unreachable, counting in this process until it answers",
      );
    });
    client.on("ready", () => (down = false));
    limiter = new RateLimiterRedis({
      ...options,
      storeClient: client,
      rejectIfRedisNotReady: true,
      insuranceLimiter: memory,
    });
  }

  const refund = async (subject: string, rows: number) => {
    await limiter.reward(subject, rows).catch((error: unknown) => {
      logger.error({ err: error, rows }, "delete rate limit: refund failed");
    });
  };

  return {
    async reserve(subject, rows) {
      if (rows > limit.rows) {
        const message =
          `This request would delete up to ${rowCount(rows)}, more than DELETE_RATE_LIMIT allows in a whole window ` +
          `(${describe(limit)}); split it into smaller calls`;
        return refused(message, { retryAfterMs: null, requested: rows, ...limitExtensions(limit) });
      }
      const reservedAt = Date.now();
      try {
        const granted = await limiter.consume(subject, rows);
        return {
          granted: true,
          settle: async (deletedRows) => {
            const unused = rows - deletedRows;
            // After the window ended the count restarted: a refund then would give the next window extra rows.
            if (unused > 0 && Date.now() < reservedAt + granted.msBeforeNext) await refund(subject, unused);
          },
        };
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        // A refused consume still counted its points; give them back so the refusal costs nothing.
        await refund(subject, rows);
        const remaining = Math.max(0, limit.rows - (rejection.consumedPoints - rows));
        const message =
          `Delete rate limit reached (DELETE_RATE_LIMIT: ${describe(limit)}): this request would delete up to ` +
          `${rowCount(rows)}, this window has ${remaining} left; retry in ${rejection.msBeforeNext} ms`;
        return refused(message, {
          retryAfterMs: rejection.msBeforeNext,
          requested: rows,
          remaining,
          ...limitExtensions(limit),
        });
      }
    },
    close: async () => {
      // quit() would wait for a reconnect when Redis is gone.
      if (client) await (client.status === "ready" ? client.quit() : client.disconnect());
    },
  };
}

function limitExtensions({ rows, windowMs }: DeleteRateLimitSettings) {
  return { limit: rows, windowMs };
}

function refused(message: string, details: Record<string, unknown>): Refusal {
  return { granted: false, error: userError(ErrorCode.RATE_LIMITED, message, details) };
}
