// The process: read the configuration, open (and migrate) the database, connect the event bus, serve the app over
// HTTP, shut down gracefully on SIGINT/SIGTERM.
import { createServer } from "node:http";
import { createAuthenticator } from "./auth/tokens.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { openDatabase } from "./db/database.ts";
import { authenticationForStart } from "./auth/development-key.ts";
import { createEventBus, EventBusError } from "./events.ts";
import { createLogger } from "./logger.ts";
import { MigrationError } from "./db/migrations/index.ts";
import { databaseReadiness } from "./http/readiness.ts";
import { shutDown, trackInFlightRequests } from "./http/shutdown.ts";
import { createApp } from "./yoga.ts";

/** After the shutdown timeout, this long for disconnecting before the process exits regardless. */
const RELEASE_GRACE_MS = 5000;

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const { auth, graphiqlHeaders } = authenticationForStart(config, logger);
  const authenticate = await createAuthenticator(auth);
  const database = await openDatabase({
    databaseUrl: config.database.url,
    sqliteSynchronous: config.sqliteSynchronous,
    postgres: config.postgres,
    onSql: logger.isLevelEnabled("trace") ? (statement) => logger.trace(statement, "sql") : undefined,
  });
  for (const migration of database.appliedMigrations) logger.info({ migration }, "applied migration");
  const bus = createEventBus({
    redisUrl: config.redisUrl,
    channelPrefix: config.redisChannelPrefix,
    limits: config.events,
    logger,
    onError: (error) => logger.error({ err: error }, "redis connection error"),
  });
  try {
    await bus.ready();
  } catch (error) {
    await Promise.allSettled([bus.close(), database.close()]);
    throw error;
  }

  let draining = false;
  const databaseReady = databaseReadiness(database.prisma, database.migrations);
  const app = createApp({
    database,
    logger,
    config,
    authenticate,
    graphiqlHeaders,
    events: bus.events,
    // A draining instance reports 503 first, so load balancers stop sending it traffic.
    readiness: async () => (draining ? { ready: false, reason: "shutting down" } : databaseReady()),
  });
  const server = createServer(app);
  // Node closes idle keep-alive connections after 5 s, and a client or load balancer that reuses one just then
  // gets "socket hang up" (or a 502). Load balancers keep idle connections for 60 s, so stay open a little longer.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const inFlight = trackInFlightRequests(server);
  server.listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : config.port;
    const events = config.redisUrl ? "events via Redis" : "events in process";
    logger.info(
      { url: `http://${config.host}:${port}${app.graphqlEndpoint}`, database: database.description, events },
      `GraphQL API on http://${config.host}:${port}${app.graphqlEndpoint} (${database.description}, ${events})`,
    );
  });

  const shutdown = (signal: string) => {
    if (draining) return;
    draining = true;
    logger.info({ signal, timeoutMs: config.shutdownTimeoutMs }, "shutting down");
    setTimeout(() => process.exit(1), config.shutdownTimeoutMs + RELEASE_GRACE_MS).unref();
    shutDown({
      server,
      inFlight,
      timeoutMs: config.shutdownTimeoutMs,
      logger,
      release: async () => {
        await Promise.all([database.close(), bus.close()]);
      },
    }).then((code) => {
      logger.info({ code }, "stopped");
      process.exit(code);
    });
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

main().catch((error: unknown) => {
  // Known start-up failures get their message only: the stack would hide the one line the operator needs.
  if (error instanceof ConfigError || error instanceof MigrationError || error instanceof EventBusError) {
    console.error(`Cannot start: ${error.message}`);
  } else {
    console.error("Cannot start:", error);
  }
  process.exit(1);
});
