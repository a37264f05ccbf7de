// GET /metrics after known traffic: the GraphQL histograms labelled by the project's own operation names (any
// other is `other`), the domain counters with exact values, the gauges, METRICS_TOKEN and METRICS=false.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEvents } from "../src/events.ts";
import { createLogger } from "../src/logger.ts";
import { createMetrics } from "../src/metrics.ts";
import { startTrashPurge } from "../src/trash-purge.ts";
import {
  DeleteAllThingsCountDocument,
  DeleteThingsDocument,
  ThingsChangedDocument,
  TrashThingsDocument,
  UndoDeleteDocument,
} from "./gql/graphql.ts";
import {
  SCOPED_API_KEYS,
  startHttpServer,
  startTestServer,
  type HttpTestServer,
  type Subscription,
  type TestServer,
} from "./support/server.ts";

type Labels = Record<string, string>;

/** The samples of a Prometheus text exposition, each as its name, its labels and its value. */
function samples(exposition: string): { name: string; labels: Labels; value: number }[] {
  return exposition
    .split("\n")
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => {
      const [, name, labelText = "", value] = /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(line)!;
      const labels = Object.fromEntries(
        [...labelText.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, k, v]) => [k, v]),
      );
      return { name: name!, labels, value: Number(value) };
    });
}

/** The value of the one sample with exactly these labels; undefined when there is none. */
function valueOf(exposition: string, name: string, labels: Labels = {}): number | undefined {
  const found = samples(exposition).filter(
    (sample) =>
      sample.name === name &&
      Object.keys(sample.labels).length === Object.keys(labels).length &&
      Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  );
  expect(found.length).toBeLessThanOrEqual(1);
  return found[0]?.value;
}

const ofOperation = (operationName: string, operationType: string) => ({ operationName, operationType });

describe("GET /metrics after known traffic", () => {
  let server: HttpTestServer;
  let changes: Subscription<unknown>;
  let exposition: string;
  let contentType: string | null;

  beforeAll(async () => {
    server = await startHttpServer();
    changes = await server.subscribe(ThingsChangedDocument);
    const [a, b, c, d, e] = (await server.seed(["a", "b", "c", "d", "e"])).map(String);
    const ok = async (response: Promise<{ errors?: unknown }>) => expect((await response).errors).toBeUndefined();
    // DeleteThings is a name the project ships (GraphiQL's document); TrashThings and DeleteAllThingsCount, only
    // the tests', are not.
    await ok(server.execute(DeleteThingsDocument, { ids: [a!] }));
    const trashed = await server.execute(TrashThingsDocument, { ids: [b!, c!] });
    await ok(server.execute(UndoDeleteDocument, { deletionId: trashed.data!.deleteThings.deletion!.id }));
    await ok(server.execute(TrashThingsDocument, { ids: [d!] }));
    const mismatch = await server.execute(DeleteAllThingsCountDocument, { expectedCount: 99 });
    expect(mismatch.errors?.[0]?.extensions?.code).toBe("COUNT_MISMATCH");
    const refused = await server.execute(DeleteThingsDocument, { ids: [e!] }, { token: SCOPED_API_KEYS.read.key });
    expect(refused.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    await ok(server.post({ query: "query MadeUpByAClient { thingCount }" }));
    await ok(server.post({ query: "{ thingCount }" }));
    // A client may name any operation it likes; the name it claims is not a label either.
    await ok(server.post({ query: "query ListThings { thingCount }" }));
    expect(await server.things()).toEqual([
      { id: Number(b), text: "b" },
      { id: Number(c), text: "c" },
      { id: Number(e), text: "e" },
    ]);

    const response = await fetch(new URL("/metrics", server.url));
    expect(response.status).toBe(200);
    contentType = response.headers.get("content-type");
    exposition = await response.text();
  });
  afterAll(async () => {
    changes.close();
    await server.close();
  });

  it("answers in Prometheus' text format", () => {
    expect(contentType).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(exposition).toContain("# TYPE things_rows_deleted_total counter");
  });

  it("counts rows deleted, trashed and restored by the field that did it", () => {
    expect(valueOf(exposition, "things_rows_deleted_total", { operation: "deleteThings" })).toBe(1);
    expect(valueOf(exposition, "things_rows_trashed_total", { operation: "deleteThings" })).toBe(3);
    expect(valueOf(exposition, "things_rows_restored_total", { operation: "undoDelete" })).toBe(2);
    // Every operation that can make a change starts at 0, so a rate is defined before the first one.
    expect(valueOf(exposition, "things_rows_deleted_total", { operation: "deleteAllThings" })).toBe(0);
    expect(valueOf(exposition, "things_rows_purged_total", { operation: "purgeExpired" })).toBe(0);
  });

  it("counts delete calls by outcome: ok, or the error's code, a refused scope included", () => {
    const calls = (operation: string, outcome: string) =>
      valueOf(exposition, "things_delete_calls_total", { operation, outcome });
    expect(calls("deleteThings", "ok")).toBe(3);
    expect(calls("deleteThings", "FORBIDDEN")).toBe(1);
    expect(calls("undoDelete", "ok")).toBe(1);
    expect(calls("deleteAllThings", "COUNT_MISMATCH")).toBe(1);
    expect(calls("deleteAllThings", "ok")).toBe(0);
  });

  it("counts published events by kind, and shows the open subscription and the trash's size", () => {
    expect(valueOf(exposition, "things_events_published_total", { kind: "DELETED" })).toBe(1);
    expect(valueOf(exposition, "things_events_published_total", { kind: "TRASHED" })).toBe(2);
    expect(valueOf(exposition, "things_events_published_total", { kind: "RESTORED" })).toBe(1);
    expect(valueOf(exposition, "things_events_published_total", { kind: "CREATED" })).toBe(0);
    expect(valueOf(exposition, "things_subscriptions_open")).toBe(1);
    expect(valueOf(exposition, "things_trash_rows")).toBe(1);
  });

  it("labels operations by the project's own names, and every other name or none as `other`", () => {
    const executed = (labels: Labels) => valueOf(exposition, "graphql_envelop_phase_execute_count", labels);
    expect(executed(ofOperation("DeleteThings", "mutation"))).toBe(2);
    expect(executed(ofOperation("UndoDelete", "mutation"))).toBe(1);
    // TrashThings twice and DeleteAllThingsCount.
    expect(executed(ofOperation("other", "mutation"))).toBe(3);
    // MadeUpByAClient and the anonymous query; the client's own "ListThings" counts as the shipped one.
    expect(executed(ofOperation("other", "query"))).toBe(2);
    expect(executed(ofOperation("ListThings", "query"))).toBe(1);
    for (const phase of ["parse", "validate"]) {
      expect(valueOf(exposition, `graphql_envelop_phase_${phase}_count`, ofOperation("other", "query"))).toBe(2);
    }
    const http = { ...ofOperation("DeleteThings", "mutation"), method: "POST", statusCode: "200" };
    expect(valueOf(exposition, "graphql_yoga_http_duration_count", http)).toBe(2);
    const names = new Set(samples(exposition).flatMap(({ labels }) => labels.operationName ?? []));
    expect([...names].sort()).toEqual(["DeleteThings", "ListThings", "ThingsChanged", "UndoDelete", "other"]);
  });

  it("shows the PostgreSQL pool on PostgreSQL only", () => {
    if (server.provider === "postgresql") {
      expect(valueOf(exposition, "things_db_pool_max_connections")).toBe(4);
      expect(valueOf(exposition, "things_db_pool_connections", { state: "in_use" })).toBeGreaterThanOrEqual(0);
      expect(valueOf(exposition, "things_db_pool_connections", { state: "idle" })).toBeGreaterThanOrEqual(0);
      expect(valueOf(exposition, "things_db_pool_waiting")).toBe(0);
    } else {
      expect(exposition).not.toContain("things_db_pool");
    }
  });

  it("is served to a browser-style GET without the CSRF header and to any origin", async () => {
    const response = await fetch(new URL("/metrics", server.url), {
      headers: { origin: "https://elsewhere.example", "sec-fetch-site": "cross-site", accept: "text/html" },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("METRICS_TOKEN", () => {
  const token = "scrape-token-0123456789";
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { METRICS_TOKEN: token } });
  });
  afterAll(() => server.close());

  const scrape = (authorization?: string) =>
    server.app.fetch("http://yoga/metrics", { headers: authorization ? { authorization } : {} });

  it("refuses a scrape without the token, or with another one, with 401", async () => {
    for (const authorization of [undefined, `Bearer ${token}x`, token, "Bearer test-key-with-every-scope"]) {
      const response = await scrape(authorization);
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toBe('Bearer realm="metrics"');
      expect(await response.text()).toBe("");
    }
  });

  it("answers the scrape that carries it", async () => {
    const response = await scrape(`Bearer ${token}`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("things_rows_deleted_total");
  });
});

describe("METRICS=false", () => {
  it("has no /metrics (404), and deletes still work", async () => {
    const server = await startTestServer({ env: { METRICS: "false" } });
    try {
      const [id] = await server.seed(["x"]);
      expect((await server.execute(DeleteThingsDocument, { ids: [String(id)] })).data?.deleteThings.deletedCount).toBe(
        1,
      );
      expect(await server.things()).toEqual([]);
      expect((await server.app.fetch("http://yoga/metrics")).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});

describe("metrics outside the request path", () => {
  it("count the rows the background purge removes", async () => {
    let clock = new Date("2026-12-01T12:00:00.000Z");
    const server = await startTestServer({ now: () => clock, env: { TRASH_RETENTION_MS: "1000" } });
    const metrics = createMetrics({ trashSize: (limit) => server.trash.sizeUpTo(limit) });
    const purge = startTrashPurge({
      trash: server.trash,
      events: createEvents({ metrics }),
      logger: createLogger("silent"),
      settings: { retentionMs: 1000, purgeIntervalMs: 3_600_000 },
      now: () => clock,
      metrics,
      pauseMs: 0,
    });
    try {
      const ids = (await server.seed(["a", "b", "c"])).map(String);
      expect((await server.execute(TrashThingsDocument, { ids })).data?.deleteThings.deletedCount).toBe(3);
      expect(valueOf(await metrics.registry.metrics(), "things_trash_rows")).toBe(3);
      clock = new Date(clock.getTime() + 2000);
      expect(await purge.runOnce()).toBe(3);
      const exposition = await metrics.registry.metrics();
      expect(valueOf(exposition, "things_rows_purged_total", { operation: "purgeExpired" })).toBe(3);
      expect(valueOf(exposition, "things_events_published_total", { kind: "PURGED" })).toBe(1);
      expect(valueOf(exposition, "things_trash_rows")).toBe(0);
      expect(await server.trashed()).toEqual([]);
    } finally {
      await purge.stop();
      await server.close();
    }
  });

  it("count a subscriber dropped for falling behind, and free its slot", async () => {
    const metrics = createMetrics({ trashSize: async () => 0 });
    const events = createEvents({ metrics, limits: { subscriberQueueMax: 1, maxSubscriptions: 10, eventMaxIds: 10 } });
    const stream = events.subscribe();
    for (const count of [1, 2]) events.publish({ kind: "CREATED", ids: [count], count: 1, allThings: false });
    let exposition = await metrics.registry.metrics();
    expect(valueOf(exposition, "things_subscribers_dropped_total")).toBe(1);
    expect(valueOf(exposition, "things_subscriptions_open")).toBe(0);
    // The client leaving afterwards closes nothing more.
    await stream.return();
    exposition = await metrics.registry.metrics();
    expect(valueOf(exposition, "things_subscriptions_open")).toBe(0);
    expect(valueOf(exposition, "things_events_published_total", { kind: "CREATED" })).toBe(2);
  });
});
