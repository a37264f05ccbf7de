// Environment → Config: the production settings are parsed strictly, and a bad value stops the start.
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, MAX_CORS_ORIGINS } from "../src/config.ts";

describe("loadConfig", () => {
  it("defaults to the embedded SQLite file, in-process events, a pool of 10 and a 10 s shutdown", () => {
    expect(loadConfig({})).toMatchObject({
      database: { provider: "sqlite", url: "file:./data/things.db" },
      postgres: { poolSize: 10, statementTimeoutMs: 30_000, applicationName: "things-api" },
      redisUrl: undefined,
      redisChannelPrefix: "things-api:",
      shutdownTimeoutMs: 10_000,
    });
  });

  it("bounds HTTP connections by default, and keeps the headers timeout within the request timeout", () => {
    expect(loadConfig({}).http).toEqual({ requestTimeoutMs: 30_000, headersTimeoutMs: 15_000, maxConnections: 1000 });
    expect(loadConfig({ HTTP_REQUEST_TIMEOUT_MS: "5000" }).http.headersTimeoutMs).toBe(5000);
    expect(() => loadConfig({ HTTP_REQUEST_TIMEOUT_MS: "5000", HTTP_HEADERS_TIMEOUT_MS: "6000" })).toThrow(
      /HTTP_HEADERS_TIMEOUT_MS \(6000\) must not exceed HTTP_REQUEST_TIMEOUT_MS \(5000\)/,
    );
    expect(() => loadConfig({ MAX_CONNECTIONS: "0" })).toThrow(ConfigError);
    expect(() => loadConfig({ HTTP_REQUEST_TIMEOUT_MS: "0" })).toThrow(ConfigError);
  });

  it.each(["postgresql://u:p@db:5432/things", "postgres://db/things?schema=app"])(
    "accepts the PostgreSQL URL %s",
    (url) => {
      expect(loadConfig({ DATABASE_URL: url }).database).toEqual({ provider: "postgresql", url });
    },
  );

  it("reads the pool, timeout, Redis and shutdown settings", () => {
    const config = loadConfig({
      DATABASE_POOL_SIZE: "25",
      DATABASE_STATEMENT_TIMEOUT_MS: "0",
      DATABASE_APPLICATION_NAME: "things-eu",
      REDIS_URL: "rediss://cache:6380",
      REDIS_CHANNEL_PREFIX: "",
      SHUTDOWN_TIMEOUT_MS: "2500",
    });
    expect(config).toMatchObject({
      postgres: { poolSize: 25, statementTimeoutMs: 0, applicationName: "things-eu" },
      redisUrl: "rediss://cache:6380",
      redisChannelPrefix: "",
      shutdownTimeoutMs: 2500,
    });
  });

  it("bounds the event fan-out: 100 queued events per subscriber, 1000 subscriptions, 1000 ids per event", () => {
    expect(loadConfig({}).events).toEqual({ subscriberQueueMax: 100, maxSubscriptions: 1000, eventMaxIds: 1000 });
    expect(loadConfig({ SUBSCRIBER_QUEUE_MAX: "5", MAX_SUBSCRIPTIONS: "0", EVENT_MAX_IDS: "0" }).events).toEqual({
      subscriberQueueMax: 5,
      maxSubscriptions: 0,
      eventMaxIds: 0,
    });
  });

  it("keeps DeleteAudit rows 90 days by default, for good with AUDIT_RETENTION_MS=0", () => {
    expect(loadConfig({}).auditRetentionMs).toBe(90 * 24 * 3600 * 1000);
    expect(loadConfig({ AUDIT_RETENTION_MS: "0" }).auditRetentionMs).toBe(0);
    expect(loadConfig({ AUDIT_RETENTION_MS: "3600000" }).auditRetentionMs).toBe(3_600_000);
  });

  it.each([
    ["AUDIT_RETENTION_MS", "90d", /AUDIT_RETENTION_MS must be an integer from 0 to 3153600000000/],
    ["AUDIT_RETENTION_MS", "-1", /AUDIT_RETENTION_MS must be an integer from 0/],
    ["DATABASE_URL", "mysql://root:hunter2@db/things", /DATABASE_URL must be a SQLite URL .* or a PostgreSQL URL/],
    ["DATABASE_POOL_SIZE", "0", /DATABASE_POOL_SIZE must be an integer from 1/],
    ["DATABASE_STATEMENT_TIMEOUT_MS", "soon", /DATABASE_STATEMENT_TIMEOUT_MS must be an integer/],
    ["REDIS_URL", "localhost:6379", /REDIS_URL must look like redis:\/\//],
    ["SHUTDOWN_TIMEOUT_MS", "-1", /SHUTDOWN_TIMEOUT_MS must be an integer/],
    ["SUBSCRIBER_QUEUE_MAX", "0", /SUBSCRIBER_QUEUE_MAX must be an integer from 1 to 100000/],
    ["MAX_SUBSCRIPTIONS", "lots", /MAX_SUBSCRIPTIONS must be an integer from 0 to 1000000/],
    ["EVENT_MAX_IDS", "100001", /EVENT_MAX_IDS must be an integer from 0 to 100000/],
  ])("refuses %s=%j with a ConfigError naming the variable", (name, value, message) => {
    const load = () => loadConfig({ [name]: value });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(message);
    expect(load).not.toThrow(/hunter2/);
  });
});

describe("CORS_ORIGINS", () => {
  it("is empty by default and reads a comma-separated list of origins", () => {
    expect(loadConfig({}).corsOrigins).toEqual([]);
    expect(loadConfig({ CORS_ORIGINS: " https://app.example.com, http://localhost:5173 ," }).corsOrigins).toEqual([
      "https://app.example.com",
      "http://localhost:5173",
    ]);
  });

  it.each([
    "*",
    "https://app.example.com/",
    "https://app.example.com/path",
    "app.example.com",
    "ftp://files.example",
    "HTTPS://APP.example.com",
  ])("refuses %j, which is not an origin as browsers send it", (value) => {
    expect(() => loadConfig({ CORS_ORIGINS: value })).toThrow(/CORS_ORIGINS must be comma-separated origins/);
  });

  it(`refuses more than ${MAX_CORS_ORIGINS} origins`, () => {
    const origins = Array.from({ length: MAX_CORS_ORIGINS + 1 }, (_, i) => `https://app${i}.example.com`);
    expect(() => loadConfig({ CORS_ORIGINS: origins.join(",") })).toThrow(ConfigError);
  });
});

describe("OpenTelemetry (OTEL_*)", () => {
  const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" };

  it("traces nothing without OTEL_EXPORTER_OTLP_ENDPOINT, whatever else is set", () => {
    expect(loadConfig({ OTEL_SERVICE_NAME: "api", OTEL_TRACES_SAMPLER: "always_on" }).tracing).toBeUndefined();
  });

  it("with it, names the service things-api and keeps the caller's sampling decision, else every trace", () => {
    expect(loadConfig(endpoint).tracing).toEqual({
      endpoint: "http://collector:4318",
      serviceName: "things-api",
      sampler: "parentbased_always_on",
      samplerRatio: 1,
    });
  });

  it("reads the service name, the sampler and its ratio", () => {
    const env = { ...endpoint, OTEL_SERVICE_NAME: "things-eu", OTEL_TRACES_SAMPLER: "traceidratio" };
    expect(loadConfig({ ...env, OTEL_TRACES_SAMPLER_ARG: "0.25" }).tracing).toMatchObject({
      serviceName: "things-eu",
      sampler: "traceidratio",
      samplerRatio: 0.25,
    });
  });
});

describe("METRICS and METRICS_TOKEN", () => {
  it("serve /metrics to anyone by default, and read the switch and the token", () => {
    expect(loadConfig({}).metrics).toEqual({ enabled: true, token: undefined });
    expect(loadConfig({ METRICS: "false", METRICS_TOKEN: "scrape-token-0123456789" }).metrics).toEqual({
      enabled: false,
      token: "scrape-token-0123456789",
    });
  });

  it.each([
    ["METRICS", "off", /METRICS must be true or false/],
    ["METRICS_TOKEN", "short", /METRICS_TOKEN must be at least 16 characters/],
    ["METRICS_TOKEN", "sixteen chars or more", /without spaces/],
  ])("refuses %s=%j", (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });
});

describe("OpenTelemetry settings that would fall back to a default", () => {
  const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" };

  it.each([
    ["OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4318", /OTEL_EXPORTER_OTLP_ENDPOINT must be an http\(s\) URL/],
    ["OTEL_EXPORTER_OTLP_ENDPOINT", "grpc://collector:4317", /OTEL_EXPORTER_OTLP_ENDPOINT must be an http\(s\) URL/],
    ["OTEL_TRACES_SAMPLER", "sometimes", /OTEL_TRACES_SAMPLER must be one of parentbased_always_on, /],
    ["OTEL_TRACES_SAMPLER_ARG", "1.5", /OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1/],
    ["OTEL_TRACES_SAMPLER_ARG", "half", /OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1/],
  ])("refuses %s=%j, which the SDK would replace by a default, with a ConfigError", (name, value, message) => {
    const load = () => loadConfig({ ...endpoint, [name]: value });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(message);
  });
});

describe("DELETE_RATE_LIMIT", () => {
  it("is off by default", () => {
    expect(loadConfig({}).deleteRateLimit).toBeNull();
    expect(loadConfig({ DELETE_RATE_LIMIT: "" }).deleteRateLimit).toBeNull();
  });

  it.each([
    ["10000/1m", { rows: 10_000, windowMs: 60_000 }],
    ["500/30s", { rows: 500, windowMs: 30_000 }],
    ["1/1s", { rows: 1, windowMs: 1000 }],
    ["1000000000/24h", { rows: 1_000_000_000, windowMs: 86_400_000 }],
    [" 20/90m ", { rows: 20, windowMs: 5_400_000 }],
  ])("reads %j as rows per window", (value, expected) => {
    expect(loadConfig({ DELETE_RATE_LIMIT: value }).deleteRateLimit).toEqual(expected);
  });

  it.each(["0/1m", "1000000001/1m", "100/0s", "100/25h", "100/1441m", "100/1d", "100", "100/m", "-5/1m", "1.5/1m"])(
    "refuses %j with a ConfigError giving the accepted form and bounds",
    (value) => {
      const load = () => loadConfig({ DELETE_RATE_LIMIT: value });
      expect(load).toThrow(ConfigError);
      expect(load).toThrow(
        /DELETE_RATE_LIMIT must be <rows>\/<window> like 10000\/1m: rows from 1 to 1000000000, a window from 1s to 24h/,
      );
    },
  );
});

describe("TRUSTED_DOCUMENTS_ONLY", () => {
  it("is off by default, and reads true/false or 1/0", () => {
    expect(loadConfig({}).trustedDocumentsOnly).toBe(false);
    expect(loadConfig({ TRUSTED_DOCUMENTS_ONLY: "true" }).trustedDocumentsOnly).toBe(true);
    expect(loadConfig({ TRUSTED_DOCUMENTS_ONLY: "0" }).trustedDocumentsOnly).toBe(false);
  });

  it("refuses anything else, so a typo cannot leave the server open", () => {
    expect(() => loadConfig({ TRUSTED_DOCUMENTS_ONLY: "yes" })).toThrow(/TRUSTED_DOCUMENTS_ONLY must be true or false/);
  });
});
