// Every setting the server reads from the environment, parsed once into one typed object.
// Defaults are the ones documented in README.md ("Configuration").

export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
export type SqliteSynchronous = "NORMAL" | "FULL" | "EXTRA";

/** The permissions a token can carry. */
export const SCOPES = ["things:read", "things:write", "things:delete", "things:delete-all"] as const;
export type Scope = (typeof SCOPES)[number];

export interface ApiKeyConfig {
  key: string;
  /** Who this key belongs to; recorded in the delete audit. */
  sub: string;
  scopes: Scope[];
}

export interface JwtConfig {
  /** HS256 shared secret (JWT_SECRET). */
  secret?: string;
  /** PEM public key (JWT_PUBLIC_KEY) verified with `algorithm`. */
  publicKey?: string;
  /** JWKS endpoint (JWT_JWKS_URL), e.g. an identity provider's. */
  jwksUrl?: string;
  /** Algorithm for JWT_PUBLIC_KEY (JWT_ALGORITHM, default RS256). */
  algorithm: string;
  issuer?: string;
  audience?: string;
}

export interface AuthConfig {
  apiKeys: ApiKeyConfig[];
  jwt: JwtConfig | null;
  /** Queries and subscriptions need a token with things:read (READS_REQUIRE_AUTH). */
  readsRequireAuth: boolean;
}

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
  /** Most distinct ids (and rows) one request may delete, over all its delete calls. */
  maxDeleteIds: number;
  /** NODE_ENV=production: stricter defaults, and no start without authentication configured. */
  production: boolean;
  auth: AuthConfig;
  /** Serve GraphiQL on GET /graphql (GRAPHIQL; default off in production). */
  graphiql: boolean;
  /** Answer introspection queries (INTROSPECTION; default off in production). */
  introspection: boolean;
  /** Largest request body accepted, in bytes (MAX_BODY_BYTES); larger bodies get HTTP 413. */
  maxBodyBytes: number;
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

function readBoolean(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (raw === "true" || raw === "1") return true;
  if (raw === "false" || raw === "0") return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function isScope(value: unknown): value is Scope {
  return SCOPES.some((scope) => scope === value);
}

/** API_KEYS: `[{"key":"…","sub":"ci","scopes":["things:write","things:delete"]}]`. */
function readApiKeys(env: NodeJS.ProcessEnv): ApiKeyConfig[] {
  const raw = env.API_KEYS;
  if (raw === undefined || raw.trim() === "") return [];
  const invalid = (why: string) =>
    new ConfigError(`API_KEYS must be a JSON array of {"key","sub","scopes"} objects: ${why}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw invalid("it is not valid JSON");
  }
  if (!Array.isArray(parsed)) throw invalid("it is not an array");
  return parsed.map((entry: unknown, index) => {
    if (typeof entry !== "object" || entry === null) throw invalid(`entry ${index} is not an object`);
    const { key, sub, scopes } = entry as Record<string, unknown>;
    // A short key could be guessed; 16 characters is the least a random key should have.
    if (typeof key !== "string" || key.length < 16) throw invalid(`entry ${index} needs a "key" of 16+ characters`);
    if (typeof sub !== "string" || sub === "") throw invalid(`entry ${index} needs a "sub"`);
    if (!Array.isArray(scopes) || !scopes.every(isScope)) {
      throw invalid(`entry ${index} needs "scopes" from ${SCOPES.join(", ")}`);
    }
    return { key, sub, scopes };
  });
}

function readJwt(env: NodeJS.ProcessEnv): JwtConfig | null {
  const secret = env.JWT_SECRET || undefined;
  const publicKey = env.JWT_PUBLIC_KEY || undefined;
  const jwksUrl = env.JWT_JWKS_URL || undefined;
  const sources = [secret, publicKey, jwksUrl].filter((source) => source !== undefined);
  if (sources.length === 0) return null;
  if (sources.length > 1) throw new ConfigError("Set only one of JWT_SECRET, JWT_PUBLIC_KEY and JWT_JWKS_URL");
  // HS256 with a short secret can be brute-forced offline from any token.
  if (secret !== undefined && secret.length < 32) throw new ConfigError("JWT_SECRET must have 32+ characters");
  return {
    secret,
    publicKey,
    jwksUrl,
    algorithm: env.JWT_ALGORITHM || "RS256",
    issuer: env.JWT_ISSUER || undefined,
    audience: env.JWT_AUDIENCE || undefined,
  };
}

function readDatabaseUrl(env: NodeJS.ProcessEnv): string {
  const url = env.DATABASE_URL || "file:./data/things.db";
  if (!url.startsWith("file:")) {
    throw new ConfigError(`DATABASE_URL must be a SQLite URL like file:./data/things.db, got "${url}"`);
  }
  return url;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const production = env.NODE_ENV === "production";
  return {
    port: readInteger(env, "PORT", 4000, 0, 65535),
    host: env.HOST || "127.0.0.1",
    databaseUrl: readDatabaseUrl(env),
    sqliteSynchronous: readChoice(env, "SQLITE_SYNCHRONOUS", SQLITE_SYNCHRONOUS_MODES, "NORMAL"),
    logLevel: readChoice(env, "LOG_LEVEL", LOG_LEVELS, "info"),
    maxDeleteIds: readInteger(env, "MAX_DELETE_IDS", 100_000, 1, 10_000_000),
    production,
    auth: {
      apiKeys: readApiKeys(env),
      jwt: readJwt(env),
      readsRequireAuth: readBoolean(env, "READS_REQUIRE_AUTH", false),
    },
    graphiql: readBoolean(env, "GRAPHIQL", !production),
    introspection: readBoolean(env, "INTROSPECTION", !production),
    maxBodyBytes: readInteger(env, "MAX_BODY_BYTES", 4 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
  };
}
