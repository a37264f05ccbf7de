// `npm run db:migrate`: applies the committed migrations to DATABASE_URL and exits.

import { ConfigError, readDatabaseUrl } from "../src/config.ts";
import { MigrationError, migrateDatabase } from "../src/db/migrations/index.ts";

try {
  const { applied } = await migrateDatabase({ databaseUrl: readDatabaseUrl().url });
  if (applied.length === 0) console.log("Database is up to date");
  for (const name of applied) console.log(`Applied migration ${name}`);
  // Explicit exit: a PostgreSQL apply leaves a wasm timer that would keep the process alive ~10 s
  // (tools/prisma-offline/README.md W8).
  process.exit(0);
} catch (error) {
  // A MigrationError's message is the whole story; anything else is a bug worth its stack.
  console.error(
    error instanceof MigrationError || error instanceof ConfigError ? `Migration failed: ${error.message}` : error,
  );
  process.exit(1);
}
