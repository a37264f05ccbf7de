// Packages only some configurations use, loaded when first needed instead of at start: ioredis without REDIS_URL,
// rate-limiter-flexible without DELETE_RATE_LIMIT, better-sqlite3 on PostgreSQL. All are CommonJS, so a synchronous require keeps their callers
// synchronous (an `await import()` would make every constructor that may need them async).
import { createRequire } from "node:module";
import type BetterSqlite3 from "better-sqlite3";
import type * as IORedis from "ioredis";
import type * as RateLimiterFlexible from "rate-limiter-flexible";

const requireFromHere = createRequire(import.meta.url);

/** ioredis: about 13 MiB and 100 ms when imported (measured on Node 20, docs/benchmark.md). */
export function ioredis(): typeof IORedis {
  return requireFromHere("ioredis") as typeof IORedis;
}

export function rateLimiterFlexible(): typeof RateLimiterFlexible {
  return requireFromHere("rate-limiter-flexible") as typeof RateLimiterFlexible;
}

/** better-sqlite3, a native addon: only a SQLite database opens it. */
export function betterSqlite3(): typeof BetterSqlite3 {
  return requireFromHere("better-sqlite3") as typeof BetterSqlite3;
}
