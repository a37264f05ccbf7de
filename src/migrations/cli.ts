// `npm run db:migrate`: applies the committed migrations to DATABASE_URL and exits.

import { MigrationError, migrateDatabase } from "./index.ts";

const databaseUrl = process.env.DATABASE_URL ?? "file:./data/things.db";

try {
  const { applied } = await migrateDatabase({ databaseUrl });
  if (applied.length === 0) console.log("Database is up to date");
  for (const name of applied) console.log(`Applied migration ${name}`);
  // Explicit exit: a PostgreSQL apply leaves a wasm timer that would keep the process alive ~10 s (P6).
  process.exit(0);
} catch (error) {
  // A MigrationError's message is the whole story; anything else is a bug worth its stack.
  console.error(error instanceof MigrationError ? `Migration failed: ${error.message}` : error);
  process.exit(1);
}
