// The process: read the configuration, open (and migrate) the database, connect the event bus, serve the app over
// HTTP, shut down gracefully on SIGINT/SIGTERM.
import "./v8-flags.ts";
import { createServer, type Server } from "node:http";
import { createAuthenticator } from "./auth/tokens.ts";
import { ConfigError, loadConfig, type TracingSettings } from "./config.ts";
import { openDatabase } from "./db/database.ts";
import { DatabaseFileError } from "./db/sqlite-file.ts";
import { authenticationForStart } from "./auth/development-key.ts";
import { createEventBus, EventBusError } from "./events.ts";
import { createDeleteRateLimit } from "./delete-rate-limit.ts";
import { createLogger, type Logger } from "./logger.ts";
import { MigrationError } from "./db/migrations/index.ts";
import { databaseReadiness } from "./http/readiness.ts";
import { httpServerOptions, limitConnections } from "./http/connections.ts";
import { shutDown, trackInFlightRequests } from "./http/shutdown.ts";
import { startAuditPurge } from "./audit-purge.ts";
import { startSpaceReclaim } from "./space-reclaim.ts";
import { startTrashPurge } from "./trash-purge.ts";
import { ThingTrash } from "./db/trash.ts";
import { createMetrics } from "./metrics.ts";
import { createApp } from "./yoga.ts";

/** After the shutdown timeout, this long for disconnecting before the process exits regardless. */
const RELEASE_GRACE_MS = 5000;

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  // The first SIGINT or SIGTERM stops the process, within the shutdown timeout plus a grace period from the signal
  // whatever it is doing. During the start (migrations, connecting to Redis) it is held until the server listens,
  // then drained at once: Node's default action would end the process in the middle of a step. The listeners stay
  // for the life of the process and only `stop` changes: removing a signal's last listener drops a signal that
  // arrived but was not handled yet, such as one during the synchronous schema build right before listening.
  let stopSignal: NodeJS.Signals | undefined;
  let stop = (signal: NodeJS.Signals) => logger.info({ signal }, "stopping once started");
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopSignal) return;
    stopSignal = signal;
    setTimeout(() => process.exit(1), config.shutdownTimeoutMs + RELEASE_GRACE_MS).unref();
    stop(signal);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const tracing = config.tracing && (await startTracing(config.tracing, logger));
  const { auth, graphiqlHeaders } = authenticationForStart(config, logger);
  const authenticate = await createAuthenticator(auth);
  const database = await openDatabase({
    databaseUrl: config.database.url,
    sqliteSynchronous: config.sqliteSynchronous,
    postgres: config.postgres,
    onSql: logger.isLevelEnabled("trace") ? (statement) => logger.trace(statement, "sql") : undefined,
  });
  for (const migration of database.appliedMigrations) logger.info({ migration }, "applied migration");
  const now = () => new Date();
  const trash = new ThingTrash(database.prisma, database.dialect, now);
  // One registry for the app, the event bus and the background purge, which all report to it.
  const metrics = config.metrics.enabled
    ? createMetrics({ trashSize: (limit) => trash.sizeUpTo(limit), pool: database.pool, processMetrics: true })
    : undefined;
  const bus = createEventBus({
    redisUrl: config.redisUrl,
    channelPrefix: config.redisChannelPrefix,
    limits: config.events,
    logger,
    metrics,
    onError: (error) => logger.error({ err: error }, "redis connection error"),
  });
  const deleteRateLimit = config.deleteRateLimit
    ? createDeleteRateLimit({
        limit: config.deleteRateLimit,
        redisUrl: config.redisUrl,
        keyPrefix: config.redisChannelPrefix,
        logger,
      })
    : undefined;
  const intervalMs = config.trash.purgeIntervalMs;
  const backgroundJobs = [
    startTrashPurge({ trash, events: bus.events, logger, settings: config.trash, now, metrics }),
    startAuditPurge({ ...database, logger, retentionMs: config.auditRetentionMs, intervalMs, now }),
    startSpaceReclaim({ database, logger, intervalMs }),
  ];
  const release = async () => {
    await Promise.all(backgroundJobs.map((job) => job.stop()));
    await Promise.all([database.close(), bus.close(), deleteRateLimit?.close()]);
    // Last, so that the spans of the final requests (and of closing the database) are exported too.
    await tracing?.shutdown();
  };
  await bus.ready().catch(releaseAndRethrow(release));

  let draining = false;
  const databaseReady = databaseReadiness(database);
  const app = createApp({
    database,
    logger,
    config,
    authenticate,
    graphiqlHeaders,
    events: bus.events,
    now,
    trash,
    tracing: tracing?.graphqlPlugin,
    metrics,
    deleteRateLimit,
    // A draining instance reports 503 first, so load balancers stop sending it traffic.
    readiness: async () => (draining ? { ready: false, reason: "shutting down" } : databaseReady()),
  });
  // requestListener is the app typed as the void listener Node expects; it settles its own promise.
  const server = createServer(
    httpServerOptions(config.http),
    tracing ? tracing.traceRequests(app) : app.requestListener,
  );
  limitConnections(server, config.http.maxConnections, logger);
  const inFlight = trackInFlightRequests(server);
  await listen(server, config.port, config.host).catch(releaseAndRethrow(release));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;

  const shutdown = (signal: string) => {
    draining = true;
    logger.info({ signal, timeoutMs: config.shutdownTimeoutMs }, "shutting down");
    shutDown({
      server,
      inFlight,
      timeoutMs: config.shutdownTimeoutMs,
      logger,
      release,
    }).then(
      (code) => {
        logger.info({ code }, "stopped");
        process.exit(code);
      },
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  stop = shutdown;
  if (stopSignal) {
    shutdown(stopSignal);
    return;
  }

  // Only now: whoever waits for this line (a supervisor, a test) may signal at once, and is then drained.
  const events = config.redisUrl ? "events via Redis" : "events in process";
  logger.info(
    { url: `http://${config.host}:${port}${app.graphqlEndpoint}`, database: database.description, events },
    `GraphQL API on http://${config.host}:${port}${app.graphqlEndpoint} (${database.description}, ${events})`,
  );
}

/**
 * Imported only when configured: without OTEL_EXPORTER_OTLP_ENDPOINT no OpenTelemetry module loads, and requests
 * take the untraced path (scripts/build.ts keeps this import a separate chunk).
 */
async function startTracing(settings: TracingSettings, logger: Logger) {
  const { startTracing: start } = await import("./tracing.ts");
  return start({ settings, logger });
}

/** A failed start closes what it opened (so the process can exit cleanly), then fails with the original error. */
function releaseAndRethrow(release: () => Promise<void>): (error: unknown) => Promise<never> {
  return async (error) => {
    await release().catch(() => {});
    throw error;
  };
}

/** The port cannot be bound; the message names the address and what to change. */
class ListenError extends Error {
  override name = "ListenError";
}

const LISTEN_ADVICE: Record<string, string> = {
  EADDRINUSE: "the port is already in use; stop the other process or set PORT",
  EADDRNOTAVAIL: "this machine has no such address; set HOST to one of its addresses, or 0.0.0.0 for all",
  EACCES: "permission denied; ports below 1024 need privileges, set PORT higher",
};

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      const advice = (error.code && LISTEN_ADVICE[error.code]) ?? error.message;
      reject(new ListenError(`Cannot listen on ${host}:${port}: ${advice} (${error.code})`, { cause: error }));
    });
    server.listen(port, host, () => resolve());
  });
}

/** Start-up failures the operator can fix from the message alone. */
const KNOWN_START_ERRORS = [ConfigError, MigrationError, EventBusError, DatabaseFileError, ListenError];

main().catch((error: unknown) => {
  // One line naming the cause: a stack trace (or 28 of them) would hide it. LOG_LEVEL=debug adds the stack; it is
  // read raw because the failure may be the configuration itself.
  const message = error instanceof Error ? error.message.replace(/\s*\n\s*/g, " ") : String(error);
  const known = KNOWN_START_ERRORS.some((type) => error instanceof type);
  const debug = ["debug", "trace"].includes(process.env.LOG_LEVEL ?? "");
  console.error(`Cannot start: ${message}${known || debug ? "" : " (LOG_LEVEL=debug shows the stack trace)"}`);
  if (debug) console.error(error);
  process.exit(1);
});
