// Opens the database the server runs on: applies pending migrations, then builds the one Prisma client the
// process uses, on the driver adapter that DATABASE_URL selects.
import type { SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { parseDatabaseUrl, type DatabaseProvider, type PostgresSettings, type SqliteSynchronous } from "../config.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { committedMigrationNames, migrateDatabase, sqliteFilePath } from "./migrations/index.ts";
import type { PoolStats } from "./postgres.ts";
import { sqlDialect, type SqlDialect } from "./dialect.ts";
import { tapSqlAdapterFactory, type SqlListener } from "./sql-tap.ts";
import { checkSqliteFileWritable } from "./sqlite-file.ts";

export interface ClientOptions {
  databaseUrl: string;
  sqliteSynchronous: SqliteSynchronous;
  /** Pool settings; only read for a PostgreSQL URL. Unset ones keep pg's defaults (pool of 10, no timeout). */
  postgres?: Partial<PostgresSettings>;
  /** Called with every statement sent (tests, SQL logging). */
  onSql?: SqlListener;
}

export type OpenDatabaseOptions = ClientOptions;

export interface Database {
  prisma: PrismaClient;
  provider: DatabaseProvider;
  /** The SQL spellings of this provider, for the raw statements in thing-deletes.ts. */
  dialect: SqlDialect;
  /** Where the data lives, for the start-up log line (never contains credentials). */
  description: string;
  /** Migrations this open applied; empty when the database was up to date. */
  appliedMigrations: string[];
  /** Every committed migration: what /ready expects the database to have. */
  migrations: string[];
  /** PostgreSQL's connection pool, for its counts (the metrics); SQLite has one connection and no pool. */
  pool?: PoolStats;
  close(): Promise<void>;
}

/**
 * The client for a URL, not connected and not migrated (openDatabase does both). The two providers need two
 * generated clients: a client generated for SQLite refuses the pg adapter ("not compatible with the provider
 * `sqlite` specified in the Prisma schema"). Both come from the same models (prisma/postgresql/schema.prisma is
 * derived from prisma/schema.prisma, and test/schema-variants.test.ts fails when they differ), so their model APIs
 * are the same; the cast lets the rest of src use one PrismaClient type. Their types still differ in provider-only
 * details (e.g. the isolation levels offered), hence `unknown` in between.
 */
export async function createPrismaClient(options: ClientOptions): Promise<PrismaClient> {
  return (await createClient(options)).prisma;
}

/**
 * Only the configured provider's client and driver are imported: each client is a module graph of its own, with its
 * query compiler, pg is not needed on SQLite, nor better-sqlite3 (a native addon) on PostgreSQL.
 */
async function createClient(
  options: ClientOptions,
): Promise<{ prisma: PrismaClient; description: string; pool?: PoolStats }> {
  const { provider } = parseDatabaseUrl(options.databaseUrl);
  const observed = (factory: SqlDriverAdapterFactory) =>
    options.onSql ? tapSqlAdapterFactory(factory, options.onSql) : factory;
  if (provider === "sqlite") {
    const [{ PrismaClient }, { sqliteAdapterFactory }] = await Promise.all([
      import("../generated/prisma/client.ts"),
      import("./sqlite.ts"),
    ]);
    const adapter = observed(sqliteAdapterFactory(options.databaseUrl, options.sqliteSynchronous));
    return {
      prisma: new PrismaClient({ adapter }),
      description: `SQLite ${options.databaseUrl.slice("file:".length)}`,
    };
  }
  const [{ PrismaClient: PostgresPrismaClient }, { describePostgres, postgresAdapterFactory }] = await Promise.all([
    import("../generated/prisma-postgresql/client.ts"),
    import("./postgres.ts"),
  ]);
  const { factory, pool } = postgresAdapterFactory(options.databaseUrl, options.postgres);
  return {
    prisma: new PostgresPrismaClient({ adapter: observed(factory) }) as unknown as PrismaClient,
    description: `PostgreSQL ${describePostgres(options.databaseUrl)}`,
    pool,
  };
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const { provider } = parseDatabaseUrl(options.databaseUrl);
  if (provider === "sqlite") checkSqliteFileWritable(sqliteFilePath(options.databaseUrl, process.cwd()));
  const { applied } = await migrateDatabase({ databaseUrl: options.databaseUrl });
  const migrations = await committedMigrationNames({ databaseUrl: options.databaseUrl });
  const { prisma, description, pool } = await createClient(options);
  // Connect now so a broken database fails the start, not the first request.
  await prisma.$connect();
  return {
    prisma,
    provider,
    dialect: sqlDialect(provider),
    description,
    appliedMigrations: applied,
    migrations,
    pool,
    close: () => prisma.$disconnect(),
  };
}
