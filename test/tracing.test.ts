// OpenTelemetry traces (src/tracing.ts): one request over real HTTP becomes one trace, HTTP server span → GraphQL
// operation span → Prisma's SQL spans, exported through the module the server uses with an in-memory exporter. A
// separate server process shows the other side: without OTEL_EXPORTER_OTLP_ENDPOINT no OpenTelemetry module loads,
// with it spans reach an OTLP/HTTP collector, flushed on SIGTERM.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InMemorySpanExporter, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { SpanKind } from "@opentelemetry/api";
import { print } from "graphql";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.ts";
import { createLogger } from "../src/logger.ts";
import { startTracing, type Tracing } from "../src/tracing.ts";
import { DeleteThingsDocument } from "./gql/graphql.ts";
import { createScratchDatabase, type ScratchDatabase } from "./support/databases.ts";
import { moduleLog } from "./support/module-log.ts";
import { startServerProcess } from "./support/processes.ts";
import { executeOverHttp, startHttpServer, TEST_API_KEY, testProvider, type HttpTestServer } from "./support/server.ts";

const exporter = new InMemorySpanExporter();
let tracing: Tracing;
let server: HttpTestServer;
beforeAll(async () => {
  const { tracing: settings } = loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318" });
  tracing = startTracing({ settings: settings!, logger: createLogger("silent"), exporter });
  server = await startHttpServer({ tracing });
});
afterAll(async () => {
  await server?.close();
  await tracing?.shutdown();
});
beforeEach(async () => {
  await server.clear();
  await tracing.flush();
  exporter.reset();
});

/** The spans of one trace, exported: the processor batches them, so they are flushed first. */
async function exportedSpans(): Promise<ReadableSpan[]> {
  await tracing.flush();
  return exporter.getFinishedSpans();
}

/** Sends DeleteThings over HTTP with extra headers, as a client behind a traced proxy would. */
async function deleteThings(ids: number[], headers: Record<string, string> = {}) {
  const response = await fetch(server.url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/graphql-response+json",
      authorization: `Bearer ${TEST_API_KEY}`,
      ...headers,
    },
    body: JSON.stringify({ query: print(DeleteThingsDocument), variables: { ids: ids.map(String) } }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { data?: { deleteThings: { deletedCount: number } } };
}

/** Whether `ancestor` is `span` or one of its ancestors within `spans`. */
function descendsFrom(span: ReadableSpan, ancestor: ReadableSpan, spans: readonly ReadableSpan[]): boolean {
  for (let current: ReadableSpan | undefined = span; current;) {
    if (current.spanContext().spanId === ancestor.spanContext().spanId) return true;
    const parentId: string | undefined = current.parentSpanContext?.spanId;
    current = spans.find((candidate) => candidate.spanContext().spanId === parentId);
  }
  return false;
}

describe(`traces (${testProvider})`, () => {
  it("one deleteThings request is one trace: HTTP server span, then the GraphQL operation, then its SQL, the DELETE among it", async () => {
    const [keep, ...doomed] = await server.seed(["keep", "a", "b"]);
    const result = await deleteThings(doomed);
    expect(result.data?.deleteThings.deletedCount).toBe(2);
    expect((await server.things()).map((thing) => thing.id)).toEqual([keep]);

    const spans = await exportedSpans();
    const http = spans.filter((span) => span.kind === SpanKind.SERVER);
    expect(http.map((span) => span.name)).toEqual(["POST /graphql"]);
    expect(http[0]!.attributes).toMatchObject({
      "http.request.method": "POST",
      "http.route": "/graphql",
      "url.path": "/graphql",
      "http.response.status_code": 200,
    });
    expect(http[0]!.parentSpanContext).toBeUndefined();

    const operation = spans.find((span) => span.name === "mutation.DeleteThings");
    expect(operation?.attributes["graphql.execute.operationName"]).toBe("DeleteThings");
    expect(operation?.parentSpanContext?.spanId).toBe(http[0]!.spanContext().spanId);

    const sql = spans.filter((span) => span.name === "prisma:client:db_query");
    expect(sql.length).toBeGreaterThan(0);
    for (const span of sql) {
      expect(descendsFrom(span, operation!, spans)).toBe(true);
      expect(span.attributes["db.system.name"]).toBe(testProvider);
    }
    const statements = sql.map((span) => String(span.attributes["db.query.text"]));
    // Prisma qualifies the table: `main`.`Thing` on SQLite, "public"."Thing" on PostgreSQL.
    expect(statements).toContainEqual(expect.stringMatching(/^DELETE FROM \S*\bThing\b/));

    const traceIds = new Set(spans.map((span) => span.spanContext().traceId));
    expect(traceIds).toEqual(new Set([http[0]!.spanContext().traceId]));
  });

  it("a request with a traceparent header continues that trace, down to its SQL", async () => {
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const callerSpanId = "00f067aa0ba902b7";
    const ids = await server.seed(["a"]);
    await deleteThings(ids, { traceparent: `00-${traceId}-${callerSpanId}-01` });

    const spans = await exportedSpans();
    const http = spans.find((span) => span.kind === SpanKind.SERVER);
    expect(http?.parentSpanContext).toMatchObject({ traceId, spanId: callerSpanId, isRemote: true });
    expect(spans.some((span) => span.name === "prisma:client:db_query")).toBe(true);
    expect(new Set(spans.map((span) => span.spanContext().traceId))).toEqual(new Set([traceId]));
  });

  it("names a request to a path the app does not serve by its method only, without a route", async () => {
    const response = await fetch(new URL("/no-such-path/12345", server.url));
    expect(response.status).toBe(404);

    const [span, ...others] = await exportedSpans();
    expect(others).toEqual([]);
    expect(span?.name).toBe("GET");
    expect(span?.attributes["http.route"]).toBeUndefined();
    expect(span?.attributes["http.response.status_code"]).toBe(404);
  });
});

/** Packages that exist only for tracing. */
const TRACING_PACKAGE = /\/node_modules\/(@opentelemetry|@envelop\/opentelemetry|@prisma\/instrumentation)\//;

/** OTLP/HTTP JSON as the exporter sends it, reduced to what the test reads. */
interface OtlpTraces {
  resourceSpans: {
    resource: { attributes: { key: string; value: { stringValue?: string } }[] };
    scopeSpans: { spans: { name: string; traceId: string }[] }[];
  }[];
}

/**
 * A stand-in OpenTelemetry collector: accepts POST /v1/traces and keeps what it received. One that does not answer
 * reads each request and never responds, as a collector behind a stalled network path would.
 */
async function startCollector({ answers = true } = {}) {
  const received: OtlpTraces[] = [];
  const collector = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      if (request.url === "/v1/traces") received.push(JSON.parse(body) as OtlpTraces);
      if (!answers) return;
      response.writeHead(request.url === "/v1/traces" ? 200 : 404, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
  const { port } = collector.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    received,
    close: () => {
      collector.closeAllConnections();
      return new Promise<void>((resolve) => collector.close(() => resolve()));
    },
  };
}

describe(`a server process (${testProvider})`, () => {
  let database: ScratchDatabase;
  let directory: string;
  beforeAll(async () => {
    database = await createScratchDatabase();
    directory = mkdtempSync(join(tmpdir(), "things-tracing-"));
  });
  afterAll(async () => {
    await database?.drop();
    rmSync(directory, { recursive: true, force: true });
  });

  it("without OTEL_EXPORTER_OTLP_ENDPOINT loads no OpenTelemetry module, serving a request included", async () => {
    const modules = moduleLog(mkdtempSync(join(directory, "off-")));
    const server = await startServerProcess({
      DATABASE_URL: database.url,
      NODE_OPTIONS: `--import ${modules.hook}`,
      OTEL_EXPORTER_OTLP_ENDPOINT: "",
    });
    const result = await executeOverHttp(`${server.origin}/graphql`, DeleteThingsDocument, { ids: ["1"] });
    expect(result.data?.deleteThings.deletedCount).toBe(0);
    expect(await server.stop()).toEqual({ code: 0, signal: null });

    const urls = modules.urls();
    // The hook saw the server's packages, so an absent tracing package means it was not loaded.
    expect(urls).toContainEqual(expect.stringContaining("/node_modules/graphql/"));
    expect(urls.filter((url) => TRACING_PACKAGE.test(url))).toEqual([]);
  });

  it("with OTEL_EXPORTER_OTLP_ENDPOINT exports its request's trace to the collector, flushed on SIGTERM", async () => {
    const collector = await startCollector();
    const modules = moduleLog(mkdtempSync(join(directory, "on-")));
    try {
      const server = await startServerProcess({
        DATABASE_URL: database.url,
        NODE_OPTIONS: `--import ${modules.hook}`,
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint,
        // No scheduled export before the end of the test: what the collector gets, the shutdown flushed.
        OTEL_BSP_SCHEDULE_DELAY: "3600000",
      });
      await executeOverHttp(`${server.origin}/graphql`, DeleteThingsDocument, { ids: ["1"] });
      expect(collector.received).toEqual([]);
      expect(await server.stop()).toEqual({ code: 0, signal: null });

      const resources = collector.received.flatMap((batch) => batch.resourceSpans);
      const spans = resources.flatMap((resource) => resource.scopeSpans.flatMap((scope) => scope.spans));
      expect(spans.map((span) => span.name)).toEqual(
        expect.arrayContaining(["POST /graphql", "mutation.DeleteThings", "prisma:client:db_query"]),
      );
      const request = spans.find((span) => span.name === "POST /graphql")!;
      expect(spans.find((span) => span.name === "mutation.DeleteThings")?.traceId).toBe(request.traceId);
      expect(resources[0]?.resource.attributes).toContainEqual({
        key: "service.name",
        value: { stringValue: "things-api" },
      });
      expect(modules.urls()).toContainEqual(expect.stringMatching(/\/node_modules\/@opentelemetry\/sdk-trace-node\//));
    } finally {
      await collector.close();
    }
  });

  it("drains on SIGTERM within its bound when the collector takes the spans and never answers", async () => {
    const collector = await startCollector({ answers: false });
    try {
      const server = await startServerProcess({
        DATABASE_URL: database.url,
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint,
        OTEL_BSP_SCHEDULE_DELAY: "3600000",
        // The process exits 1 regardless 5 s after this: the exporter's own 10 s timeout would run past that.
        SHUTDOWN_TIMEOUT_MS: "1000",
      });
      await executeOverHttp(`${server.origin}/graphql`, DeleteThingsDocument, { ids: ["1"] });
      const warned = server.outputMatches(/the trace collector did not take the last traces in time/);
      expect(await server.stop()).toEqual({ code: 0, signal: null });
      await warned;
      // The spans were sent: the flush ran, and only the answer was missing.
      expect(collector.received.length).toBeGreaterThan(0);
    } finally {
      await collector.close();
    }
  });
});
