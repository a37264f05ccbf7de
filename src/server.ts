// The process: read the configuration, open (and migrate) the database, serve the app over HTTP, shut down
// cleanly on SIGINT/SIGTERM.
import { createServer } from "node:http";
import { createAuthenticator } from "./auth.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { openDatabase } from "./db.ts";
import { authenticationForStart } from "./dev-key.ts";
import { createLogger } from "./logger.ts";
import { MigrationError } from "./migrations/index.ts";
import { createApp } from "./yoga.ts";

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const { auth, graphiqlHeaders } = authenticationForStart(config, logger);
  const authenticate = await createAuthenticator(auth);
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    sqliteSynchronous: config.sqliteSynchronous,
    onSql: logger.isLevelEnabled("trace") ? (statement) => logger.trace(statement, "sql") : undefined,
  });
  for (const migration of database.appliedMigrations) logger.info({ migration }, "applied migration");

  const app = createApp({ prisma: database.prisma, logger, config, authenticate, graphiqlHeaders });
  const server = createServer(app);
  server.listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : config.port;
    logger.info(
      { url: `http://${config.host}:${port}${app.graphqlEndpoint}`, database: database.description },
      `GraphQL API on http://${config.host}:${port}${app.graphqlEndpoint} (${database.description})`,
    );
  });

  const shutdown = (signal: string) => {
    logger.info({ signal }, "shutting down");
    server.close(() => {
      database.close().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, "closing the database failed");
          process.exit(1);
        },
      );
    });
    server.closeIdleConnections();
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

main().catch((error: unknown) => {
  // Known start-up failures get their message only: the stack would hide the one line the operator needs.
  if (error instanceof ConfigError || error instanceof MigrationError) {
    console.error(`Cannot start: ${error.message}`);
  } else {
    console.error("Cannot start:", error);
  }
  process.exit(1);
});
