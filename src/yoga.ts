// The GraphQL app: schema, context, GraphiQL and plugins. It does not listen; src/server.ts does, and tests call
// `app.fetch` directly.
import { createYoga } from "graphql-yoga";
import type { AppServices } from "./context.ts";
import { createEvents } from "./events.ts";
import type { PrismaClient } from "./generated/prisma/client.ts";
import type { Logger } from "./logger.ts";
import { requestErrorCodesPlugin } from "./request-errors.ts";
import { requestLogPlugin } from "./request-log.ts";
import { schema } from "./schema/index.ts";
import { sqliteDialect } from "./sql-dialect.ts";
import { ThingDeletes } from "./thing-deletes.ts";

export interface AppOptions {
  prisma: PrismaClient;
  logger: Logger;
  maxDeleteIds: number;
}

export function createApp({ prisma, logger, maxDeleteIds }: AppOptions) {
  const services: AppServices = {
    prisma,
    deletes: new ThingDeletes(prisma, sqliteDialect),
    events: createEvents(),
    maxDeleteIds,
  };
  return createYoga({
    schema,
    context: services,
    logging: logger,
    graphiql: { title: "Things batch-delete API" },
    plugins: [requestLogPlugin(logger), requestErrorCodesPlugin()],
  });
}

export type App = ReturnType<typeof createApp>;
