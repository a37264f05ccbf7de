// Every setting the server reads from the environment, parsed once into one typed object.
// Defaults are the ones documented in README.md ("Configuration").

export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
export type SqliteSynchronous = "NORMAL" | "FULL" | "EXTRA";

export interface Config {
  /** TCP port of the HTTP server. */
  port: number;
  /** Interface to listen on; loopback by default so a dev server is not exposed by accident. */
  host: string;
  /** `file:<path>` selects the embedded SQLite database. */
  databaseUrl: string;
  /** SQLite's fsync policy; see src/db.ts for the durability trade-off. */
  sqliteSynchronous: SqliteSynchronous;
  logLevel: LogLevel;
  /** Most distinct ids (and rows) one delete call may remove. */
  maxDeleteIds: number;
}

const LOG_LEVELS: readonly LogLevel[] = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];
const SQLITE_SYNCHRONOUS_MODES: readonly SqliteSynchronous[] = ["NORMAL", "FULL", "EXTRA"];

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
  const url = env.DATABASE_URL || "file:./data/things.db";
  if (!url.startsWith("file:")) {
    throw new ConfigError(`DATABASE_URL must be a SQLite URL like file:./data/things.db, got "${url}"`);
  }
  return url;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: readInteger(env, "PORT", 4000, 0, 65535),
    host: env.HOST || "127.0.0.1",
    databaseUrl: readDatabaseUrl(env),
    sqliteSynchronous: readChoice(env, "SQLITE_SYNCHRONOUS", SQLITE_SYNCHRONOUS_MODES, "NORMAL"),
    logLevel: readChoice(env, "LOG_LEVEL", LOG_LEVELS, "info"),
    maxDeleteIds: readInteger(env, "MAX_DELETE_IDS", 100_000, 1, 10_000_000),
  };
}
