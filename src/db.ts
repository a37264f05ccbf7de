// Opens the database the server runs on: applies pending migrations, then builds the one Prisma client the
// process uses, on the driver adapter that DATABASE_URL selects.
import type { SqliteSynchronous } from "./config.ts";
import { PrismaClient } from "./generated/prisma/client.ts";
import { migrateDatabase } from "./migrations/index.ts";
import { tapSqlAdapterFactory, type SqlListener } from "./sql-tap.ts";
import { sqliteAdapterFactory } from "./sqlite.ts";

export interface OpenDatabaseOptions {
  databaseUrl: string;
  sqliteSynchronous: SqliteSynchronous;
  /** Called with every statement sent (tests, SQL logging). */
  onSql?: SqlListener;
}

export interface Database {
  prisma: PrismaClient;
  /** Where the data lives, for the start-up log line (never contains credentials). */
  description: string;
  /** Migrations this open applied; empty when the database was up to date. */
  appliedMigrations: string[];
  close(): Promise<void>;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const { applied } = await migrateDatabase({ databaseUrl: options.databaseUrl });
  const factory = sqliteAdapterFactory(options.databaseUrl, options.sqliteSynchronous);
  const adapter = options.onSql ? tapSqlAdapterFactory(factory, options.onSql) : factory;
  const prisma = new PrismaClient({ adapter });
  // Connect now so a broken database fails the start, not the first request.
  await prisma.$connect();
  return {
    prisma,
    description: `SQLite ${options.databaseUrl.slice("file:".length)}`,
    appliedMigrations: applied,
    close: () => prisma.$disconnect(),
  };
}
