// GET /metrics in Prometheus' text format: Yoga's Prometheus plugin for the HTTP request and the parse, validate
// and execute phases, in the app's own registry beside the domain metrics (src/metrics.ts). Operations are
// labelled by name only when the project owns the name; any other name, and an anonymous operation, is `other`,
// so a client cannot grow the label set (and the scraper's memory) by inventing names.
import { createHash, timingSafeEqual } from "node:crypto";
import { createHistogram, usePrometheus, type FillLabelsFnParams } from "@graphql-yoga/plugin-prometheus";
import type { Plugin } from "graphql-yoga";
import type { Registry } from "prom-client";

export const METRICS_PATH = "/metrics";

/** The label of every operation whose name the project does not own. */
export const OTHER_OPERATION = "other";

export interface MetricsPluginOptions {
  /** Where the app's metrics live; the plugin adds its histograms to it and serves all of it. */
  registry: Registry;
  /** Operation names labelled as themselves: the documents the project ships (src/known-operation-names.ts). */
  knownOperationNames: ReadonlySet<string>;
  /** METRICS_TOKEN: set, a scrape needs `Authorization: Bearer <token>`. */
  token: string | undefined;
}

const OPERATION_LABELS = ["operationName", "operationType"] as const;
const HTTP_LABELS = [...OPERATION_LABELS, "method", "statusCode"] as const;

type HttpParams = FillLabelsFnParams & { request: Request; response: Response };

const digest = (text: string) => createHash("sha256").update(text).digest();

/** Compares digests, which have one length whatever the header holds, so the time taken says nothing of the token. */
function bearerCheck(token: string): (request: Request) => boolean {
  const expected = digest(`Bearer ${token}`);
  return (request) => timingSafeEqual(digest(request.headers.get("authorization") ?? ""), expected);
}

export function metricsPlugin({ registry, knownOperationNames, token }: MetricsPluginOptions): Plugin {
  const operationLabels = ({ operationName, operationType }: FillLabelsFnParams) => ({
    operationName:
      operationName !== undefined && knownOperationNames.has(operationName) ? operationName : OTHER_OPERATION,
    operationType: operationType ?? "unknown",
  });
  const phase = <P extends "parse" | "validate" | "execute">(observed: P, help: string) =>
    createHistogram({
      registry,
      histogram: { name: `graphql_envelop_phase_${observed}`, help, labelNames: OPERATION_LABELS },
      fillLabelsFn: operationLabels,
      phases: [observed],
    });
  const isAuthorized = token === undefined ? () => true : bearerCheck(token);
  const prometheus = usePrometheus({
    registry,
    // Served below, behind METRICS_TOKEN.
    endpoint: false,
    metrics: {
      // The whole HTTP request, without the plugin's `url` label: a URL carries whatever query string a client sends.
      graphql_yoga_http_duration: createHistogram({
        registry,
        histogram: {
          name: "graphql_yoga_http_duration",
          help: "Time from receiving a GraphQL request to sending its response",
          labelNames: HTTP_LABELS,
        },
        fillLabelsFn: (params: HttpParams) => ({
          ...operationLabels(params),
          method: params.request.method,
          statusCode: params.response.status,
        }),
      }),
      graphql_envelop_phase_parse: phase("parse", 'Time spent in GraphQL "parse"'),
      graphql_envelop_phase_validate: phase("validate", 'Time spent in GraphQL "validate"'),
      graphql_envelop_phase_execute: phase("execute", 'Time spent in GraphQL "execute"'),
      // Off: the request counter and summary repeat the histograms (a summary also costs a quantile sketch per
      // label set); the error counter labels by error path, which a client shapes; the context phase is
      // authentication, in the HTTP time; a subscription's "duration" is how long the client stayed; the
      // deprecation counter walks every document, and the schema never changes.
      graphql_envelop_request: false,
      graphql_envelop_request_duration: false,
      graphql_envelop_request_time_summary: false,
      graphql_envelop_error_result: false,
      graphql_envelop_phase_context: false,
      graphql_envelop_phase_subscribe: false,
      graphql_envelop_deprecated_field: false,
      graphql_envelop_schema_change: false,
      graphql_envelop_execute_resolver: false,
    },
  });
  return {
    onPluginInit({ addPlugin }) {
      addPlugin(prometheus);
    },
    onRequest({ request, url, fetchAPI, endResponse }) {
      if (url.pathname !== METRICS_PATH) return undefined;
      if (request.method !== "GET" && request.method !== "HEAD") {
        endResponse(new fetchAPI.Response(null, { status: 405, headers: { allow: "GET, HEAD" } }));
        return undefined;
      }
      if (!isAuthorized(request)) {
        endResponse(
          new fetchAPI.Response(null, { status: 401, headers: { "www-authenticate": 'Bearer realm="metrics"' } }),
        );
        return undefined;
      }
      return registry.metrics().then((text) => {
        endResponse(
          new fetchAPI.Response(text, {
            headers: { "content-type": registry.contentType, "cache-control": "no-store" },
          }),
        );
      });
    },
  };
}
