// Every setting the server reads from the environment, parsed once into one typed object.
// Defaults are the ones documented in docs/configuration.md.
import { SCOPES, type Scope } from "./auth/scopes.ts";

export { SCOPES, type Scope };

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

/** Bounds of the event fan-out (src/events.ts), shared by thingsChanged and thingsDeleted, so no subscriber and no event can exhaust the process. */
export interface EventLimits {
  /** Events one subscriber may have waiting (SUBSCRIBER_QUEUE_MAX); one more and it is dropped. */
  subscriberQueueMax: number;
  /** Open subscriptions per process (MAX_SUBSCRIPTIONS); the next one is refused. */
  maxSubscriptions: number;
  /** Most ids one event lists (EVENT_MAX_IDS); past it the event says `truncated` instead. */
  eventMaxIds: number;
}

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

export interface TrashSettings {
  /** How long an undoable delete stays restorable (TRASH_RETENTION_MS, default 30 days); 0: undoable deletes are off. */
  retentionMs: number;
  /** How often the background purge looks for expired deletions (TRASH_PURGE_INTERVAL_MS). */
  purgeIntervalMs: number;
}

/** DELETE_RATE_LIMIT: rows of Things one subject may delete, for good or into the trash, per window. */
export interface DeleteRateLimitSettings {
  rows: number;
  windowMs: number;
}

/** AUDIT_RETENTION_MS: how long a DeleteAudit row is kept (default 90 days); 0 keeps every row for good. */
export const DEFAULT_AUDIT_RETENTION_MS = 90 * 24 * 3600 * 1000;

/** A hundred years: past that, "now minus the retention" is no date the databases store. */
const MAX_AUDIT_RETENTION_MS = 100 * 365 * 24 * 3600 * 1000;

export const DEFAULT_TRASH_SETTINGS: TrashSettings = { retentionMs: 30 * 24 * 3600 * 1000, purgeIntervalMs: 60_000 };

export interface Config {
  /** TCP port of the HTTP server. */
  port: number;
  /** Interface to listen on; loopback by default so a dev server is not exposed by accident. */
  host: string;
  /** `file:<path>` selects the embedded SQLite database, `postgresql://…` (or `postgres://…`) a PostgreSQL server. */
  database: DatabaseUrl;
  /** SQLite's fsync policy; see src/db/sqlite.ts for the durability trade-off. */
  sqliteSynchronous: SqliteSynchronous;
  postgres: PostgresSettings;
  /** Set: events travel through Redis pub/sub, so every instance's subscribers get them. */
  redisUrl: string | undefined;
  /** Prefix of the Redis channels and keys, so deployments sharing one Redis neither hear each other's events nor share rate limits. */
  redisChannelPrefix: string;
  events: EventLimits;
  /** How long SIGTERM/SIGINT waits for in-flight requests before closing connections anyway. */
  shutdownTimeoutMs: number;
  logLevel: LogLevel;
  /** Most distinct ids (and rows) one request may delete, over all its delete calls. */
  maxDeleteIds: number;
  /** Most texts one createThings call may create (MAX_CREATE_TEXTS); more: TOO_MANY_TEXTS. */
  maxCreateTexts: number;
  /** Most Unicode code points in one text, created or in a `where` (MAX_TEXT_LENGTH); longer: BAD_USER_INPUT. */
  maxTextLength: number;
  trash: TrashSettings;
  /** DELETE_RATE_LIMIT, e.g. 10000/1m; null (unset, the default): no limit. See src/delete-rate-limit.ts. */
  deleteRateLimit: DeleteRateLimitSettings | null;
  /** How long DeleteAudit rows are kept (AUDIT_RETENTION_MS); 0: for good. Purged on the trash purge's interval. */
  auditRetentionMs: number;
  /** NODE_ENV=production: stricter defaults, and no start without authentication configured. */
  production: boolean;
  auth: AuthConfig;
  /** Serve GraphiQL on GET /graphql (GRAPHIQL; default off in production). */
  graphiql: boolean;
  /** Answer introspection queries (INTROSPECTION; default off in production). */
  introspection: boolean;
  /** Largest request body accepted, in bytes (MAX_BODY_BYTES); larger bodies get HTTP 413. */
  maxBodyBytes: number;
  http: HttpLimits;
  /** Origins (scheme://host[:port]) whose pages may read responses (CORS_ORIGINS); empty: same origin only. */
  corsOrigins: string[];
  /** Set (OTEL_EXPORTER_OTLP_ENDPOINT): OpenTelemetry traces are exported; unset, no OpenTelemetry module loads. */
  tracing: TracingSettings | undefined;
  metrics: MetricsSettings;
  /**
   * Only trusted documents (by hash, src/trusted-documents/) are executed, unless the token has things:any-document
   * (TRUSTED_DOCUMENTS_ONLY).
   */
  trustedDocumentsOnly: boolean;
}

/** OpenTelemetry's sampler names (the OTEL_TRACES_SAMPLER values of its SDK specification). */
export const TRACES_SAMPLERS = [
  "parentbased_always_on",
  "parentbased_always_off",
  "parentbased_traceidratio",
  "always_on",
  "always_off",
  "traceidratio",
] as const;
export type TracesSampler = (typeof TRACES_SAMPLERS)[number];

export interface TracingSettings {
  /** OTLP/HTTP collector base URL; traces go to `<endpoint>/v1/traces` unless OTEL_EXPORTER_OTLP_TRACES_ENDPOINT says otherwise. */
  endpoint: string;
  /** OTEL_SERVICE_NAME, the `service.name` of every span. */
  serviceName: string;
  /** OTEL_TRACES_SAMPLER. The parentbased_* samplers follow the sampled flag of an incoming traceparent. */
  sampler: TracesSampler;
  /** OTEL_TRACES_SAMPLER_ARG: the share of traces kept by the traceidratio samplers, 0–1. */
  samplerRatio: number;
}

/** GET /metrics, in Prometheus' text format (docs/operations.md#metrics). */
export interface MetricsSettings {
  /** METRICS=false: no endpoint (404) and nothing collected. */
  enabled: boolean;
  /** METRICS_TOKEN: set, a scrape needs `Authorization: Bearer <token>`; unset, anyone who reaches the port may scrape. */
  token: string | undefined;
}

/** Bounds on client connections, so slow or idle clients cannot hold sockets (and memory) without limit. */
export interface HttpLimits {
  /** Time to receive a whole request, headers and body (HTTP_REQUEST_TIMEOUT_MS); exceeded: 408 and the socket closes. */
  requestTimeoutMs: number;
  /** Time to receive the headers (HTTP_HEADERS_TIMEOUT_MS), at most requestTimeoutMs. */
  headersTimeoutMs: number;
  /** Open connections at most (MAX_CONNECTIONS); further ones are closed as soon as they are accepted. */
  maxConnections: number;
}

export const DEFAULT_EVENT_LIMITS: EventLimits = { subscriberQueueMax: 100, maxSubscriptions: 1000, eventMaxIds: 1000 };

const LOG_LEVELS: readonly LogLevel[] = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];
const SQLITE_SYNCHRONOUS_MODES: readonly SqliteSynchronous[] = ["NORMAL", "FULL", "EXTRA"];

/** Where the embedded database lives when DATABASE_URL is unset; the development key sits beside it. */
export const DEFAULT_DATA_DIRECTORY = "data";
export const DEFAULT_DATABASE_URL = `file:./${DEFAULT_DATA_DIRECTORY}/things.db`;

/** Connector names as Prisma writes them in schema files and migration_lock.toml. */
export type DatabaseProvider = "sqlite" | "postgresql";

/** DATABASE_URL, classified once: everything that opens, migrates or describes the database reads this. */
export interface DatabaseUrl {
  provider: DatabaseProvider;
  url: string;
}

/** The provider a URL selects, or undefined for a scheme this project does not run on. */
export function providerOf(url: string): DatabaseProvider | undefined {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === "file") return "sqlite";
  if (scheme === "postgres" || scheme === "postgresql") return "postgresql";
  return undefined;
}

/** A URL for messages and logs: credentials replaced by ***. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, "//***@");
}

/** Each provider's Prisma schema and committed migration history, relative to the project root. */
export const PRISMA_PATHS: Record<DatabaseProvider, { schema: string; migrations: string }> = {
  sqlite: { schema: "prisma/schema.prisma", migrations: "prisma/migrations" },
  postgresql: { schema: "prisma/postgresql/schema.prisma", migrations: "prisma/postgresql/migrations" },
};

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

/** A database URL classified, or a ConfigError naming what is accepted. */
export function parseDatabaseUrl(url: string): DatabaseUrl {
  return readDatabaseUrl({ DATABASE_URL: url });
}

/** DATABASE_URL from the environment, classified; the default is the embedded database. */
export function readDatabaseUrl(env: NodeJS.ProcessEnv = process.env): DatabaseUrl {
  const url = env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const provider = providerOf(url);
  if (provider === undefined || (provider === "postgresql" && !/^postgres(ql)?:\/\//i.test(url))) {
    throw new ConfigError(
      `DATABASE_URL must be a SQLite URL like ${DEFAULT_DATABASE_URL} or a PostgreSQL URL like ` +
        `postgresql://user@host:5432/things, got "${redactUrl(url)}"`,
    );
  }
  return { provider, url };
}

function readRedisUrl(env: NodeJS.ProcessEnv): string | undefined {
  const url = env.REDIS_URL || undefined;
  if (url !== undefined && !/^rediss?:\/\//i.test(url)) {
    throw new ConfigError(`REDIS_URL must look like redis://host:6379 (or rediss:// for TLS), got "${url}"`);
  }
  return url;
}

const WINDOW_UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000 } as const;
/** A billion rows is more than any table here holds; past that a limit is a typo. */
const MAX_RATE_LIMIT_ROWS = 1_000_000_000;
/** Windows are whole seconds (rate-limiter-flexible counts in seconds), a day at most: longer is a quota, not a rate. */
const MAX_RATE_LIMIT_WINDOW_MS = 24 * 3_600_000;

function readDeleteRateLimit(env: NodeJS.ProcessEnv): DeleteRateLimitSettings | null {
  const raw = env.DELETE_RATE_LIMIT;
  if (raw === undefined || raw.trim() === "") return null;
  const invalid = new ConfigError(
    `DELETE_RATE_LIMIT must be <rows>/<window> like 10000/1m: rows from 1 to ${MAX_RATE_LIMIT_ROWS}, ` +
      `a window from 1s to 24h written as <n>s, <n>m or <n>h; got "${raw}"`,
  );
  const match = /^(\d{1,10})\/(\d{1,5})([smh])$/.exec(raw.trim());
  if (!match) throw invalid;
  const [, rows, count, unit] = match;
  const limit = { rows: Number(rows), windowMs: Number(count) * WINDOW_UNIT_MS[unit as keyof typeof WINDOW_UNIT_MS] };
  const inRange = limit.rows >= 1 && limit.rows <= MAX_RATE_LIMIT_ROWS && limit.windowMs >= 1000;
  if (!inRange || limit.windowMs > MAX_RATE_LIMIT_WINDOW_MS) throw invalid;
  return limit;
}

/** Node checks both timeouts together; a headers timeout beyond the request timeout could never fire. */
function readHttpLimits(env: NodeJS.ProcessEnv): HttpLimits {
  const requestTimeoutMs = readInteger(env, "HTTP_REQUEST_TIMEOUT_MS", 30_000, 1000, 3_600_000);
  const headersTimeoutMs = readInteger(
    env,
    "HTTP_HEADERS_TIMEOUT_MS",
    Math.min(15_000, requestTimeoutMs),
    1000,
    3_600_000,
  );
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new ConfigError(
      `HTTP_HEADERS_TIMEOUT_MS (${headersTimeoutMs}) must not exceed HTTP_REQUEST_TIMEOUT_MS (${requestTimeoutMs})`,
    );
  }
  return {
    requestTimeoutMs,
    headersTimeoutMs,
    maxConnections: readInteger(env, "MAX_CONNECTIONS", 1000, 1, 1_000_000),
  };
}

/** More origins than this is a list nobody reviews; a deployment with that many clients wants a proxy's rules. */
export const MAX_CORS_ORIGINS = 100;

/** CORS_ORIGINS: `https://app.example.com,http://localhost:5173`. No `*`: any origin reading responses is no list. */
function readCorsOrigins(env: NodeJS.ProcessEnv): string[] {
  const entries = (env.CORS_ORIGINS ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  if (entries.length > MAX_CORS_ORIGINS) {
    throw new ConfigError(`CORS_ORIGINS must list at most ${MAX_CORS_ORIGINS} origins, got ${entries.length}`);
  }
  for (const entry of entries) {
    // Browsers send the origin exactly as scheme://host[:port], lower-case, without a path or default port.
    const origin = URL.canParse(entry) ? new URL(entry).origin : "null";
    if (origin !== entry || !/^https?:/.test(origin)) {
      throw new ConfigError(
        `CORS_ORIGINS must be comma-separated origins like https://app.example.com (no path, no *), got "${entry}"`,
      );
    }
  }
  return entries;
}

/**
 * OTEL_EXPORTER_OTLP_ENDPOINT switches tracing on. The SDK would log a bad sampler and fall back to another one; here
 * it refuses to start, so a typo cannot silently keep every trace or none.
 */
function readTracing(env: NodeJS.ProcessEnv): TracingSettings | undefined {
  const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined;
  if (endpoint === undefined) return undefined;
  if (!URL.canParse(endpoint) || !/^https?:$/.test(new URL(endpoint).protocol)) {
    throw new ConfigError(
      `OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL like http://collector:4318, got "${redactUrl(endpoint)}"`,
    );
  }
  const rawRatio = env.OTEL_TRACES_SAMPLER_ARG || "1";
  const samplerRatio = Number(rawRatio);
  if (!Number.isFinite(samplerRatio) || samplerRatio < 0 || samplerRatio > 1) {
    throw new ConfigError(`OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1, got "${rawRatio}"`);
  }
  return {
    endpoint,
    serviceName: env.OTEL_SERVICE_NAME || "things-api",
    sampler: readChoice(env, "OTEL_TRACES_SAMPLER", TRACES_SAMPLERS, "parentbased_always_on"),
    samplerRatio,
  };
}

/** A token a scraper holds in its configuration, long enough not to be guessed. */
export const MIN_METRICS_TOKEN_LENGTH = 16;

function readMetrics(env: NodeJS.ProcessEnv): MetricsSettings {
  const enabled = readBoolean(env, "METRICS", true);
  const token = env.METRICS_TOKEN || undefined;
  if (token !== undefined && (token.length < MIN_METRICS_TOKEN_LENGTH || /\s/.test(token))) {
    throw new ConfigError(`METRICS_TOKEN must be at least ${MIN_METRICS_TOKEN_LENGTH} characters without spaces`);
  }
  return { enabled, token };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const production = env.NODE_ENV === "production";
  return {
    port: readInteger(env, "PORT", 4000, 0, 65535),
    host: env.HOST || "127.0.0.1",
    database: readDatabaseUrl(env),
    sqliteSynchronous: readChoice(env, "SQLITE_SYNCHRONOUS", SQLITE_SYNCHRONOUS_MODES, "NORMAL"),
    postgres: {
      poolSize: readInteger(env, "DATABASE_POOL_SIZE", 10, 1, 1000),
      statementTimeoutMs: readInteger(env, "DATABASE_STATEMENT_TIMEOUT_MS", 30_000, 0, 2_147_483_647),
      applicationName: env.DATABASE_APPLICATION_NAME || "things-api",
    },
    redisUrl: readRedisUrl(env),
    redisChannelPrefix: env.REDIS_CHANNEL_PREFIX ?? "things-api:",
    events: {
      subscriberQueueMax: readInteger(env, "SUBSCRIBER_QUEUE_MAX", DEFAULT_EVENT_LIMITS.subscriberQueueMax, 1, 100_000),
      maxSubscriptions: readInteger(env, "MAX_SUBSCRIPTIONS", DEFAULT_EVENT_LIMITS.maxSubscriptions, 0, 1_000_000),
      eventMaxIds: readInteger(env, "EVENT_MAX_IDS", DEFAULT_EVENT_LIMITS.eventMaxIds, 0, 100_000),
    },
    shutdownTimeoutMs: readInteger(env, "SHUTDOWN_TIMEOUT_MS", 10_000, 0, 600_000),
    logLevel: readChoice(env, "LOG_LEVEL", LOG_LEVELS, "info"),
    maxDeleteIds: readInteger(env, "MAX_DELETE_IDS", 100_000, 1, 10_000_000),
    maxCreateTexts: readInteger(env, "MAX_CREATE_TEXTS", 10_000, 1, 1_000_000),
    maxTextLength: readInteger(env, "MAX_TEXT_LENGTH", 10_000, 1, 1_000_000),
    trash: {
      // Ten years at most: restorableUntil must stay a date every database stores.
      retentionMs: readInteger(env, "TRASH_RETENTION_MS", DEFAULT_TRASH_SETTINGS.retentionMs, 0, 315_360_000_000),
      purgeIntervalMs: readInteger(
        env,
        "TRASH_PURGE_INTERVAL_MS",
        DEFAULT_TRASH_SETTINGS.purgeIntervalMs,
        100,
        24 * 3600 * 1000,
      ),
    },
    deleteRateLimit: readDeleteRateLimit(env),
    auditRetentionMs: readInteger(env, "AUDIT_RETENTION_MS", DEFAULT_AUDIT_RETENTION_MS, 0, MAX_AUDIT_RETENTION_MS),
    production,
    auth: {
      apiKeys: readApiKeys(env),
      jwt: readJwt(env),
      readsRequireAuth: readBoolean(env, "READS_REQUIRE_AUTH", false),
    },
    trustedDocumentsOnly: readBoolean(env, "TRUSTED_DOCUMENTS_ONLY", false),
    graphiql: readBoolean(env, "GRAPHIQL", !production),
    introspection: readBoolean(env, "INTROSPECTION", !production),
    maxBodyBytes: readInteger(env, "MAX_BODY_BYTES", 4 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    http: readHttpLimits(env),
    corsOrigins: readCorsOrigins(env),
    tracing: readTracing(env),
    metrics: readMetrics(env),
  };
}
