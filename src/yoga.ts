// The GraphQL app: schema, context, GraphiQL and plugins. It does not listen; src/server.ts does, and tests call
// `app.fetch` directly.
import { createYoga } from "graphql-yoga";
import type { AppServices } from "./context.ts";
import { createEvents, type Events } from "./events.ts";
import { graphiqlOptions, renderOfflineGraphiQL } from "./graphiql.ts";
import type { PrismaClient } from "./generated/prisma/client.ts";
import type { Logger } from "./logger.ts";
import { readinessPlugin, type ReadinessCheck } from "./readiness.ts";
import { requestErrorCodesPlugin } from "./request-errors.ts";
import { requestLogPlugin } from "./request-log.ts";
import { schema } from "./schema/index.ts";
import { sqliteDialect, type SqlDialect } from "./sql-dialect.ts";
import { ThingDeletes } from "./thing-deletes.ts";

export interface AppOptions {
  prisma: PrismaClient;
  logger: Logger;
  maxDeleteIds: number;
  /** The SQL spellings of the database `prisma` runs on (Database.dialect); SQLite's by default. */
  dialect?: SqlDialect;
  /** Where thingsDeleted events go (Redis with REDIS_URL, see src/events.ts); in-process by default. */
  events?: Events;
  /** Answers GET /ready (src/readiness.ts); without it there is no /ready route. */
  readiness?: ReadinessCheck;
}

export function createApp({ prisma, logger, maxDeleteIds, dialect = sqliteDialect, events, readiness }: AppOptions) {
  const services: AppServices = {
    prisma,
    deletes: new ThingDeletes(prisma, dialect),
    events: events ?? createEvents(),
    maxDeleteIds,
  };
  return createYoga({
    schema,
    context: services,
    logging: logger,
    graphiql: graphiqlOptions,
    renderGraphiQL: renderOfflineGraphiQL,
    plugins: [
      ...(readiness ? [readinessPlugin(readiness)] : []),
      requestLogPlugin(logger),
      requestErrorCodesPlugin(),
    ],
  });
}

export type App = ReturnType<typeof createApp>;
