// Every setting the server reads from the environment, parsed once into one typed object.
// Defaults are the ones documented in README.md ("Configuration").

export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
export type SqliteSynchronous = "NORMAL" | "FULL" | "EXTRA";

/** Pool settings for a PostgreSQL DATABASE_URL (ignored for SQLite, which has one connection). */
export interface PostgresSettings {
  /** Most connections this process opens (DATABASE_POOL_SIZE); N instances open up to N times this. */
  poolSize: number;
  /** A statement running longer is cancelled by the server (DATABASE_STATEMENT_TIMEOUT_MS; 0 = no limit). */
  statementTimeoutMs: number;
  /** Shown in pg_stat_activity, so a DBA can tell this service's connections apart (DATABASE_APPLICATION_NAME). */
  applicationName: string;
}

export interface Config {
  /** TCP port of the HTTP server. */
  port: number;
  /** Interface to listen on; loopback by default so a dev server is not exposed by accident. */
  host: string;
  /** `file:<path>` selects the embedded SQLite database, `postgresql://…` (or `postgres://…`) a PostgreSQL server. */
  databaseUrl: string;
  /** SQLite's fsync policy; see src/sqlite.ts for the durability trade-off. */
  sqliteSynchronous: SqliteSynchronous;
  postgres: PostgresSettings;
  /** Set: thingsDeleted events travel through Redis pub/sub, so every instance's subscribers get them. */
  redisUrl: string | undefined;
  /** Prefix of the Redis channels, so deployments sharing one Redis do not hear each other's events. */
  redisChannelPrefix: string;
  /** How long SIGTERM/SIGINT waits for in-flight requests before closing connections anyway. */
  shutdownTimeoutMs: number;
  logLevel: LogLevel;
  /** Most distinct ids (and rows) one delete call may remove. */
  maxDeleteIds: number;
}

const LOG_LEVELS: readonly LogLevel[] = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];
const SQLITE_SYNCHRONOUS_MODES: readonly SqliteSynchronous[] = ["NORMAL", "FULL", "EXTRA"];

export const DEFAULT_DATABASE_URL = "file:./data/things.db";

/** A setting that is present but unusable; the server refuses to start with this message instead of guessing. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

function readInteger(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function readChoice<T extends string>(env: NodeJS.ProcessEnv, name: string, choices: readonly T[], fallback: T): T {
  const raw = env[name] || fallback;
  const choice = choices.find((candidate) => candidate === raw);
  if (!choice) throw new ConfigError(`${name} must be one of ${choices.join(", ")}, got "${raw}"`);
  return choice;
}

function readDatabaseUrl(env: NodeJS.ProcessEnv): string {
  const url = env.DATABASE_URL || DEFAULT_DATABASE_URL;
  if (!/^(file:|postgres(ql)?:\/\/)/i.test(url)) {
    throw new ConfigError(
      "DATABASE_URL must be a SQLite URL like file:./data/things.db or a PostgreSQL URL like " +
        `postgresql://user@host:5432/things, got "${url.replace(/\/\/[^@/]*@/, "//***@")}"`,
    );
  }
  return url;
}

function readRedisUrl(env: NodeJS.ProcessEnv): string | undefined {
  const url = env.REDIS_URL || undefined;
  if (url !== undefined && !/^rediss?:\/\//i.test(url)) {
    throw new ConfigError(`REDIS_URL must look like redis://host:6379 (or rediss:// for TLS), got "${url}"`);
  }
  return url;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: readInteger(env, "PORT", 4000, 0, 65535),
    host: env.HOST || "127.0.0.1",
    databaseUrl: readDatabaseUrl(env),
    sqliteSynchronous: readChoice(env, "SQLITE_SYNCHRONOUS", SQLITE_SYNCHRONOUS_MODES, "NORMAL"),
    postgres: {
      poolSize: readInteger(env, "DATABASE_POOL_SIZE", 10, 1, 1000),
      statementTimeoutMs: readInteger(env, "DATABASE_STATEMENT_TIMEOUT_MS", 30_000, 0, 2_147_483_647),
      applicationName: env.DATABASE_APPLICATION_NAME || "things-api",
    },
    redisUrl: readRedisUrl(env),
    redisChannelPrefix: env.REDIS_CHANNEL_PREFIX ?? "things-api:",
    shutdownTimeoutMs: readInteger(env, "SHUTDOWN_TIMEOUT_MS", 10_000, 0, 600_000),
    logLevel: readChoice(env, "LOG_LEVEL", LOG_LEVELS, "info"),
    maxDeleteIds: readInteger(env, "MAX_DELETE_IDS", 100_000, 1, 10_000_000),
  };
}
