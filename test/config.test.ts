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

  it.each([
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
