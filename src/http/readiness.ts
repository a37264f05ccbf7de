// GET /ready for load balancers: 200 only when this instance can serve, i.e. its database answers and has every
// migration the code expects; 503 otherwise (and while shutting down), so traffic goes to another instance.
// GET /health (Yoga's own) only says the process is up.
import type { Plugin } from "graphql-yoga";
import type { PrismaClient } from "../generated/prisma/client.ts";

export type Readiness = { ready: true } | { ready: false; reason: string };
export type ReadinessCheck = () => Promise<Readiness>;

/** A probe must answer quickly even when the database hangs; load balancers time out after a few seconds. */
const CHECK_TIMEOUT_MS = 2000;

type MigrationRow = { migration_name: string };

/**
 * Reads the finished, not rolled back rows of `_prisma_migrations` (same table and columns on every provider).
 * Missing ones: the database is behind the code. Unknown ones: it was migrated by newer code, whose schema this
 * code may not handle.
 */
export function databaseReadiness(prisma: PrismaClient, expectedMigrations: readonly string[]): ReadinessCheck {
  return async () => {
    let rows: MigrationRow[];
    try {
      rows = await withTimeout(
        prisma.$queryRaw<MigrationRow[]>`SELECT "migration_name" FROM "_prisma_migrations" WHERE "finished_at" IS NOT NULL AND "rolled_back_at" IS NULL`,
      );
    } catch {
      return { ready: false, reason: "database unreachable or without migration history" };
    }
    const applied = new Set(rows.map((row) => row.migration_name));
    const missing = expectedMigrations.filter((name) => !applied.has(name));
    if (missing.length > 0) return { ready: false, reason: `migrations not applied: ${missing.join(", ")}` };
    const unknown = [...applied].filter((name) => !expectedMigrations.includes(name));
    if (unknown.length > 0) return { ready: false, reason: `database has migrations this code does not know: ${unknown.join(", ")}` };
    return { ready: true };
  };
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

/** Answers GET /ready before Yoga's GraphQL handling; the reason is in the body for whoever investigates. */
export function readinessPlugin(check: ReadinessCheck): Plugin {
  return {
    async onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname !== "/ready") return;
      const readiness = await check();
      endResponse(
        new fetchAPI.Response(JSON.stringify(readiness), {
          status: readiness.ready ? 200 : 503,
          headers: { "content-type": "application/json", "cache-control": "no-store" },
        }),
      );
    },
  };
}
