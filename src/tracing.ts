// OpenTelemetry traces: one SERVER span per HTTP request, the GraphQL operation inside it (@envelop/opentelemetry),
// and inside that Prisma's spans, one per SQL statement (@prisma/instrumentation). src/server.ts imports this module
// only when OTEL_EXPORTER_OTLP_ENDPOINT is set, so without it no OpenTelemetry package is loaded and requests take
// the untraced path.
import type { RequestListener } from "node:http";
import { useOpenTelemetry } from "@envelop/opentelemetry";
import {
  context,
  diag,
  DiagLogLevel,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
} from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from "@opentelemetry/resources";
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  NodeTracerProvider,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type Sampler,
  type SpanExporter,
} from "@opentelemetry/sdk-trace-node";
import {
  ATTR_CLIENT_ADDRESS,
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_REQUEST_METHOD_ORIGINAL,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_NETWORK_PROTOCOL_VERSION,
  ATTR_SERVICE_NAME,
  ATTR_URL_PATH,
  ATTR_URL_SCHEME,
  ATTR_USER_AGENT_ORIGINAL,
} from "@opentelemetry/semantic-conventions";
import { PrismaInstrumentation } from "@prisma/instrumentation";
import type { Plugin } from "graphql-yoga";
import type { TracesSampler, TracingSettings } from "./config.ts";
import type { Logger } from "./logger.ts";
import type { App } from "./yoga.ts";

/** The instrumentation scope of the HTTP and GraphQL spans (Prisma names its own "prisma"). */
const TRACER_NAME = "things-api";
/**
 * How long shutdown waits for the last spans to reach the collector. A collector that does not answer must not hold
 * the drain until the exporter's own 30 s timeout, past the point where the process exits regardless.
 */
const FLUSH_TIMEOUT_MS = 3000;
/** HTTP methods as the semantic conventions list them; any other is recorded as `_OTHER`, so names stay few. */
const KNOWN_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"]);

export interface TracingOptions {
  settings: TracingSettings;
  /** Where the SDK's own warnings go (e.g. a collector that refuses spans). */
  logger: Logger;
  /** Where finished spans go; by default OTLP/HTTP, configured by the OTEL_EXPORTER_OTLP_* variables. */
  exporter?: SpanExporter;
}

export interface Tracing {
  /** A span per GraphQL operation (`mutation.DeleteThings`), child of its request's span. */
  graphqlPlugin: Plugin;
  /** The app's HTTP listener, with a SERVER span around each request that continues an incoming `traceparent`. */
  traceRequests(app: Pick<App, "requestListener" | "graphqlEndpoint">): RequestListener;
  /** Exports every finished span now, instead of at the next batch. */
  flush(): Promise<void>;
  /** Exports what is queued (for at most FLUSH_TIMEOUT_MS) and unregisters everything; later spans are not recorded. */
  shutdown(): Promise<void>;
}

const ROOT_SAMPLERS: Record<string, (ratio: number) => Sampler> = {
  always_on: () => new AlwaysOnSampler(),
  always_off: () => new AlwaysOffSampler(),
  traceidratio: (ratio) => new TraceIdRatioBasedSampler(ratio),
};

/** OTEL_TRACES_SAMPLER's meaning, as the SDK would build it, from the value config.ts checked. */
function samplerOf(name: TracesSampler, ratio: number): Sampler {
  const parentBased = name.startsWith("parentbased_");
  const root = ROOT_SAMPLERS[name.replace(/^parentbased_/, "")]!(ratio);
  return parentBased ? new ParentBasedSampler({ root }) : root;
}

export function startTracing({ settings, logger, exporter }: TracingOptions): Tracing {
  diag.setLogger(
    {
      error: (message, ...details) => logger.error({ details }, message),
      warn: (message, ...details) => logger.warn({ details }, message),
      info: () => {},
      debug: () => {},
      verbose: () => {},
    },
    DiagLogLevel.WARN,
  );
  // OTEL_RESOURCE_ATTRIBUTES (e.g. deployment.environment) is honoured; the service name is the one config.ts read.
  const resource = defaultResource()
    .merge(detectResources({ detectors: [envDetector] }))
    .merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: settings.serviceName }));
  // BatchSpanProcessor's queue is bounded (OTEL_BSP_MAX_QUEUE_SIZE, 2048 spans by default): while the collector is
  // unreachable, further spans are dropped instead of growing memory.
  const provider = new NodeTracerProvider({
    resource,
    sampler: samplerOf(settings.sampler, settings.samplerRatio),
    spanProcessors: [new BatchSpanProcessor(exporter ?? new OTLPTraceExporter())],
  });
  // The async-local-storage context manager (spans follow awaits) and W3C trace-context propagation.
  provider.register();
  // Prisma reads the tracing helper at every query, so enabling it after the client exists is fine; constructed
  // disabled, so that it uses this provider rather than whatever is global at that moment.
  const prisma = new PrismaInstrumentation({ enabled: false });
  prisma.setTracerProvider(provider);
  prisma.enable();
  const tracer = provider.getTracer(TRACER_NAME);
  logger.info(
    { endpoint: settings.endpoint, serviceName: settings.serviceName, sampler: settings.sampler },
    "exporting traces",
  );

  return {
    // Resolver spans stay off: they would not be the parents of the SQL spans (the plugin does not make them
    // active), and would cost a span per field. Variables stay out: they may list 100000 ids.
    graphqlPlugin: useOpenTelemetry(
      { resolvers: false, variables: false, result: false },
      provider,
      SpanKind.INTERNAL,
      {},
      TRACER_NAME,
    ) as Plugin,
    traceRequests: (app) => {
      // Paths the app serves; any other is recorded without a route, so a scan of random paths cannot make every
      // span name distinct.
      const routes = new Set([app.graphqlEndpoint, "/health", "/ready", "/metrics"]);
      return (request, response) => {
        const parent = propagation.extract(ROOT_CONTEXT, request.headers);
        const method = KNOWN_METHODS.has(request.method ?? "") ? request.method! : "_OTHER";
        const path = (request.url ?? "/").split("?", 1)[0]!;
        const route = routes.has(path) ? path : undefined;
        const attributes: Attributes = {
          [ATTR_HTTP_REQUEST_METHOD]: method,
          ...(method === "_OTHER" && { [ATTR_HTTP_REQUEST_METHOD_ORIGINAL]: request.method }),
          [ATTR_URL_SCHEME]: "http",
          [ATTR_URL_PATH]: path,
          ...(route && { [ATTR_HTTP_ROUTE]: route }),
          [ATTR_NETWORK_PROTOCOL_VERSION]: request.httpVersion,
          [ATTR_CLIENT_ADDRESS]: request.socket.remoteAddress,
          [ATTR_USER_AGENT_ORIGINAL]: request.headers["user-agent"],
        };
        const span = tracer.startSpan(
          route ? `${method} ${route}` : method,
          { kind: SpanKind.SERVER, attributes },
          parent,
        );
        response.once("close", () => {
          span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, response.statusCode);
          // The semantic conventions count only 5xx as a server span's error; a 4xx is the client's.
          if (response.statusCode >= 500) {
            span.setStatus({ code: SpanStatusCode.ERROR });
            span.setAttribute(ATTR_ERROR_TYPE, String(response.statusCode));
          }
          span.end();
        });
        context.with(trace.setSpan(parent, span), () => app.requestListener(request, response));
      };
    },
    flush: () => provider.forceFlush(),
    shutdown: async () => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, FLUSH_TIMEOUT_MS)).unref());
      const flushed = provider.shutdown().then(
        () => true,
        (error: unknown) => (logger.warn({ err: error }, "exporting the last traces failed"), true),
      );
      if (!(await Promise.race([flushed, timeout.then(() => false)]))) {
        logger.warn({ timeoutMs: FLUSH_TIMEOUT_MS }, "the trace collector did not take the last traces in time");
      }
      clearTimeout(timer);
      prisma.disable();
      trace.disable();
      context.disable();
      propagation.disable();
      diag.disable();
    },
  };
}
