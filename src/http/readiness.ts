// GET /ready for load balancers: 200 only when this instance can serve, i.e. its database answers, has every
// migration the code expects and accepts a write; 503 otherwise (and while shutting down), so traffic goes to
// another instance. GET /health (Yoga's own) only says the process is up.
import type { Plugin } from "graphql-yoga";
import type { Database } from "../db/database.ts";

export type Readiness = { ready: true } | { ready: false; reason: string };
export type ReadinessCheck = () => Promise<Readiness>;

/** A probe must answer quickly even when the database hangs; load balancers time out after a few seconds. */
const CHECK_TIMEOUT_MS = 2000;

type MigrationRow = { migration_name: string };

/**
 * Reads the finished, not rolled back rows of `_prisma_migrations` (same table and columns on every provider).
 * Missing ones: the database is behind the code. Unknown ones: it was migrated by newer code, whose schema this
 * code may not handle. Then probes a write, so a full disk or a read-only database takes the instance out of
 * rotation, and puts it back by itself once writes work again.
 */
export function databaseReadiness({
  prisma,
  provider,
  migrations,
}: Pick<Database, "prisma" | "provider" | "migrations">): ReadinessCheck {
  return async () => {
    let rows: MigrationRow[];
    try {
      rows = await withTimeout(
        prisma.$queryRaw<
          MigrationRow[]
        >`SELECT "migration_name" FROM "_prisma_migrations" WHERE "finished_at" IS NOT NULL AND "rolled_back_at" IS NULL`,
      );
    } catch {
      return { ready: false, reason: "database unreachable or without migration history" };
    }
    const applied = new Set(rows.map((row) => row.migration_name));
    const missing = migrations.filter((name) => !applied.has(name));
    if (missing.length > 0) return { ready: false, reason: `migrations not applied: ${missing.join(", ")}` };
    const unknown = [...applied].filter((name) => !migrations.includes(name));
    if (unknown.length > 0)
      return { ready: false, reason: `database has migrations this code does not know: ${unknown.join(", ")}` };
    try {
      await withTimeout(probeWrite(prisma, provider));
    } catch (error) {
      return { ready: false, reason: `database cannot write: ${driverMessage(error)}` };
    }
    return { ready: true };
  };
}

/**
 * The cheapest commit that fails where real writes fail. SQLite: creating a table allocates a page, which fails
 * when the file cannot grow (disk full, max_page_count) or is read-only, and the commit appends to the WAL; the
 * table is dropped in the same transaction, so nothing stays. PostgreSQL: a transaction id makes the commit write
 * WAL and is refused by a hot standby; unlike DDL it adds no catalog churn or `log_statement=ddl` lines.
 */
async function probeWrite(prisma: Database["prisma"], provider: Database["provider"]): Promise<void> {
  if (provider === "postgresql") {
    const [session] = await prisma.$queryRawUnsafe<[{ readOnly: string }]>(
      `SELECT txid_current()::text AS "id", current_setting('transaction_read_only') AS "readOnly"`,
    );
    // A read-only transaction still gets a transaction id, so the setting is asked for as well.
    if (session.readOnly === "on") throw new Error("the session is read-only (default_transaction_read_only)");
    return;
  }
  await prisma.$transaction([
    prisma.$executeRawUnsafe(`CREATE TABLE "_readiness_probe" ("id" INTEGER)`),
    prisma.$executeRawUnsafe(`DROP TABLE "_readiness_probe"`),
  ]);
}

/** The driver's own words ("database or disk is full"), without Prisma's invocation preamble. */
function driverMessage(error: unknown): string {
  const driverError = (error as { meta?: { driverAdapterError?: { message?: unknown } } }).meta?.driverAdapterError;
  if (typeof driverError?.message === "string") return driverError.message;
  const message = error instanceof Error ? error.message : String(error);
  return message.trim().split("\n").at(-1)!.trim();
}

async function withTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("readiness check timed out")), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The probe's path; any method, as Yoga's own readiness plugin answers it. */
const READY_PATH = "/ready";

/**
 * GET /ready, answering with the JSON reason for whoever investigates a 503. Not Yoga's useReadinessCheck: that one
 * tests every request's URL against a URLPattern (a polyfill on Node, costly per request) to recognise a path that
 * is compared exactly here.
 */
export function readinessPlugin(check: ReadinessCheck): Plugin {
  return {
    onRequest({ url, fetchAPI, endResponse }) {
      if (url.pathname !== READY_PATH) return undefined;
      return check().then(
        (readiness) =>
          endResponse(
            new fetchAPI.Response(JSON.stringify(readiness), {
              status: readiness.ready ? 200 : 503,
              headers: { "content-type": "application/json", "cache-control": "no-store" },
            }),
          ),
        // A check that throws is not ready either; its message says why, as Yoga's plugin answered it.
        (error: unknown) =>
          endResponse(
            new fetchAPI.Response(error instanceof Error ? error.message : null, {
              status: 503,
              headers: error instanceof Error ? { "content-type": "text/plain; charset=utf-8" } : {},
            }),
          ),
      );
    },
  };
}
