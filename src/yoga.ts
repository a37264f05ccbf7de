// The GraphQL app: schema, context, GraphiQL and plugins. It does not listen; src/server.ts does, and tests call
// `app.fetch` directly.
import { randomUUID } from "node:crypto";
import { useDisableIntrospection } from "@graphql-yoga/plugin-disable-introspection";
import { createYoga, type Plugin } from "graphql-yoga";
import { authenticateOncePerRequest, type Authenticate } from "./auth/tokens.ts";
import type { Config } from "./config.ts";
import type { AppServices, RequestContext } from "./context.ts";
import { CSRF_HEADER, csrfPreventionPlugin } from "./plugins/use-csrf-prevention.ts";
import { deleteBudgetPlugin } from "./plugins/use-delete-budget.ts";
import { deleteRateLimitPlugin } from "./plugins/use-delete-rate-limit.ts";
import { createDeleteRateLimit, type DeleteRateLimit } from "./delete-rate-limit.ts";
import { unexpectedErrorMaskingPlugin } from "./plugins/use-error-masking.ts";
import { createEvents, type Events } from "./events.ts";
import type { Database } from "./db/database.ts";
import { corsPolicy } from "./http/cors.ts";
import { GRAPHIQL_OPERATION_NAMES, graphiqlPlugin } from "./http/graphiql.ts";
import { createMetrics, NO_METRICS, type Metrics } from "./metrics.ts";
import { metricsPlugin } from "./plugins/use-metrics.ts";
import { httpGuardsPlugin } from "./http/body-guards.ts";
import { landingPagePlugin, type LandingLink } from "./http/landing-page.ts";
import { documentLimitsPlugin } from "./plugins/use-document-limits.ts";
import type { Logger } from "./logger.ts";
import { readinessPlugin, type ReadinessCheck } from "./http/readiness.ts";
import { requestErrorCodesPlugin } from "./plugins/use-error-codes.ts";
import { requestLogPlugin } from "./plugins/use-request-log.ts";
import { DOCUMENT_ID_PARAM, trustedDocumentsPlugin } from "./plugins/use-trusted-documents.ts";
import { TRUSTED_OPERATION_NAMES } from "./trusted-documents/index.ts";
import { schema } from "./schema/index.ts";
import { ThingCreates } from "./db/thing-creates.ts";
import { ThingDeletes } from "./db/thing-deletes.ts";
import { ThingReads } from "./db/thing-reads.ts";
import { ThingTrash } from "./db/trash.ts";

export interface AppOptions {
  /** The opened database: its client and the SQL spellings of its provider travel together. */
  database: Pick<Database, "prisma" | "dialect" | "pool">;
  logger: Logger;
  config: Pick<
    Config,
    | "maxDeleteIds"
    | "maxCreateTexts"
    | "maxTextLength"
    | "maxBodyBytes"
    | "graphiql"
    | "introspection"
    | "events"
    | "corsOrigins"
    | "trash"
    | "metrics"
    | "deleteRateLimit"
    | "trustedDocumentsOnly"
  > & {
    auth: Pick<Config["auth"], "readsRequireAuth">;
  };
  authenticate: Authenticate;
  /** Headers GraphiQL starts with, e.g. the development key's Authorization. */
  graphiqlHeaders?: Record<string, string>;
  /** Where events of committed changes go (Redis with REDIS_URL, see src/events.ts); in process, with config.events, by default. */
  events?: Events;
  /** Answers GET /ready (src/http/readiness.ts); without it there is no /ready route. */
  readiness?: ReadinessCheck;
  /** The clock deletions are stamped with and trash expiry is judged by; the system clock by default. */
  now?: () => Date;
  /** The trash operations, when the caller already made them (the background purge shares them). */
  trash?: ThingTrash;
  /** The GraphQL spans (src/tracing.ts), when tracing is on. */
  tracing?: Plugin;
  /**
   * Where the app counts, when the caller already made it (the event bus and the background purge report to it);
   * with config.metrics.enabled, a registry of the app's own by default.
   */
  metrics?: Metrics;
  /**
   * Counts DELETE_RATE_LIMIT (through Redis with REDIS_URL, see src/delete-rate-limit.ts); in process, from
   * config.deleteRateLimit, by default. The caller closes one it passes.
   */
  deleteRateLimit?: DeleteRateLimit;
}

/**
 * The operation names the GraphQL metrics label as themselves (any other is `other`): those of the documents this
 * project ships, the examples' trusted documents and GraphiQL's welcome document.
 */
const SHIPPED_OPERATION_NAMES: ReadonlySet<string> = new Set([...TRUSTED_OPERATION_NAMES, ...GRAPHIQL_OPERATION_NAMES]);

/** A client-supplied X-Request-Id is kept when it is plausible, so a proxy's id follows the request into our logs. */
function requestIdOf(request: Request): string {
  const given = request.headers.get("x-request-id");
  return given && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
}

export function createApp(options: AppOptions) {
  const { database, logger, config, graphiqlHeaders, events, readiness } = options;
  const authenticate = authenticateOncePerRequest(options.authenticate);
  const now = options.now ?? (() => new Date());
  const trash = options.trash ?? new ThingTrash(database.prisma, database.dialect, now);
  const metrics = config.metrics.enabled
    ? (options.metrics ?? createMetrics({ trashSize: (limit) => trash.sizeUpTo(limit), pool: database.pool }))
    : undefined;
  const deleteRateLimit =
    options.deleteRateLimit ?? (config.deleteRateLimit && createDeleteRateLimit({ limit: config.deleteRateLimit }));
  const landingLinks: LandingLink[] = [
    {
      path: "/graphql",
      purpose: config.graphiql ? "GraphiQL in a browser; the GraphQL endpoint for clients" : "the GraphQL endpoint",
    },
    { path: "/health", purpose: "liveness: 200 while the process runs" },
    ...(readiness ? [{ path: "/ready", purpose: "readiness: 200 when the database can serve" }] : []),
    ...(metrics
      ? [{ path: "/metrics", purpose: `Prometheus metrics${config.metrics.token ? " (needs METRICS_TOKEN)" : ""}` }]
      : []),
  ];
  const services: AppServices = {
    prisma: database.prisma,
    deletes: new ThingDeletes(database.prisma, database.dialect),
    reads: new ThingReads(database.prisma, database.dialect),
    creates: new ThingCreates(database.prisma, database.dialect),
    trash,
    trashRetentionMs: config.trash.retentionMs,
    now,
    events: events ?? createEvents({ limits: config.events, logger, metrics }),
    metrics: metrics ?? NO_METRICS,
    maxCreateTexts: config.maxCreateTexts,
    maxTextLength: config.maxTextLength,
    maxDeleteIds: config.maxDeleteIds,
    readsRequireAuth: config.auth.readsRequireAuth,
  };
  return createYoga({
    schema,
    context: async ({ request }): Promise<AppServices & RequestContext> => ({
      ...services,
      auth: await authenticate(request),
      requestId: requestIdOf(request),
      thingsDeleted: { count: 0 },
    }),
    logging: logger,
    // Stack traces stay out of responses even under NODE_ENV=development.
    maskedErrors: { isDev: false },
    // httpGuardsPlugin already refuses bodies over MAX_BODY_BYTES by Content-Length and refuses chunked ones, so
    // Yoga's own limit would only pipe every body through a second, counting stream (~5% of a small request).
    maxRequestBodySize: false,
    // Served by graphiqlPlugin, which refuses cross-origin requests (src/http/graphiql.ts).
    graphiql: false,
    cors: corsPolicy(config.corsOrigins),
    extraParamNames: [DOCUMENT_ID_PARAM],
    plugins: [
      // First: a scrape is answered before GraphiQL, readiness or CSRF prevention look at the request, and the
      // HTTP histogram's clock starts as early as it can.
      ...(metrics
        ? [
            metricsPlugin({
              registry: metrics.registry,
              knownOperationNames: SHIPPED_OPERATION_NAMES,
              token: config.metrics.token,
            }),
          ]
        : []),
      // First, so that its span encloses what the other plugins do during execution.
      ...(options.tracing ? [options.tracing] : []),
      landingPagePlugin(landingLinks),
      ...(config.graphiql ? [graphiqlPlugin(graphiqlHeaders)] : []),
      ...(readiness ? [readinessPlugin(readiness)] : []),
      requestLogPlugin(logger),
      httpGuardsPlugin(config.maxBodyBytes),
      // Browsers send some GETs and form POSTs without a preflight; requiring a header they cannot set blocks
      // cross-site requests. JSON POSTs, which every GraphQL client sends, are preflighted and pass.
      csrfPreventionPlugin({ requestHeaders: [CSRF_HEADER] }),
      trustedDocumentsPlugin({ trustedOnly: config.trustedDocumentsOnly, authenticate }),
      documentLimitsPlugin(),
      // Throws here, at app creation, when a Mutation field declares no delete budget.
      deleteBudgetPlugin(schema, config.maxDeleteIds),
      ...(deleteRateLimit ? [deleteRateLimitPlugin(deleteRateLimit)] : []),
      ...(config.introspection ? [] : [useDisableIntrospection()]),
      requestErrorCodesPlugin(),
      unexpectedErrorMaskingPlugin(logger),
    ],
  });
}

export type App = ReturnType<typeof createApp>;
