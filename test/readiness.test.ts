// GET /ready: what a load balancer asks before sending an instance traffic.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "../src/db/database.ts";
import { sqlDialect } from "../src/db/dialect.ts";
import { createLogger } from "../src/logger.ts";
import { databaseReadiness } from "../src/http/readiness.ts";
import { createApp } from "../src/yoga.ts";
import { CreateThingDocument } from "./gql/graphql.ts";
import { startTestServer, testAppSettings, testProvider, type TestServer } from "./support/server.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

async function ready(app: TestServer["app"]): Promise<{ status: number; body: { ready: boolean; reason?: string } }> {
  const response = await app.fetch("http://yoga/ready");
  return { status: response.status, body: (await response.json()) as { ready: boolean; reason?: string } };
}

describe("GET /ready", () => {
  it("answers 200 when the database is reachable and has every committed migration", async () => {
    expect(await ready(server.app)).toEqual({ status: 200, body: { ready: true } });
  });

  it("answers 503 naming the migration when the database lacks one, and 200 again once it is back", async () => {
    await server.raw.exec(`CREATE TABLE "_prisma_migrations_saved" AS SELECT * FROM "_prisma_migrations"`);
    await server.raw.exec(`DELETE FROM "_prisma_migrations" WHERE "migration_name" LIKE '%_init'`);
    try {
      const answer = await ready(server.app);
      expect(answer.status).toBe(503);
      expect(answer.body.reason).toMatch(/^migrations not applied: \d{14}_init$/);
    } finally {
      await server.raw.exec(`DELETE FROM "_prisma_migrations"`);
      await server.raw.exec(`INSERT INTO "_prisma_migrations" SELECT * FROM "_prisma_migrations_saved"`);
      await server.raw.exec(`DROP TABLE "_prisma_migrations_saved"`);
    }
    expect((await ready(server.app)).status).toBe(200);
  });

  it("answers 503 when the database has a migration this code does not know (migrated by newer code)", async () => {
    await server.raw.exec(
      `INSERT INTO "_prisma_migrations" ("id", "checksum", "migration_name", "finished_at", "applied_steps_count") ` +
        `VALUES ('future', 'x', '99990101000000_future', CURRENT_TIMESTAMP, 1)`,
    );
    try {
      const answer = await ready(server.app);
      expect(answer.status).toBe(503);
      expect(answer.body.reason).toContain("99990101000000_future");
    } finally {
      await server.raw.exec(`DELETE FROM "_prisma_migrations" WHERE "id" = 'future'`);
    }
  });

  it("answers 503 when the database is unreachable, while /health still answers 200", async () => {
    const databaseUrl =
      testProvider === "sqlite" ? "file:/nonexistent/directory/things.db" : "postgresql://postgres@127.0.0.1:1/test";
    const prisma = await createPrismaClient({ databaseUrl, sqliteSynchronous: "NORMAL" });
    const app = createApp({
      database: { prisma, dialect: sqlDialect(testProvider) },
      logger: createLogger("silent"),
      ...(await testAppSettings()),
      readiness: databaseReadiness({ prisma, provider: testProvider, migrations: ["20261125125557_init"] }),
    });
    try {
      expect(await ready(app)).toEqual({
        status: 503,
        body: { ready: false, reason: "database unreachable or without migration history" },
      });
      expect((await app.fetch("http://yoga/health")).status).toBe(200);
    } finally {
      await prisma.$disconnect().catch(() => {});
    }
  });

  // SQLite's max_page_count is a per-connection cap on the file's size: set to the same value on the app's
  // connection and on the raw one, it behaves like a disk that is full for both.
  it.skipIf(testProvider !== "sqlite")(
    "answers 503 naming the failed write when the database file cannot grow, and 200 again once space is freed",
    async () => {
      const full = await startTestServer();
      try {
        const capPages = async (pages: number) => {
          await full.prisma.$queryRawUnsafe(`PRAGMA max_page_count = ${pages}`);
          await full.raw.exec(`PRAGMA max_page_count = ${pages}`);
        };
        const [{ page_count: pages }] =
          await full.prisma.$queryRawUnsafe<[{ page_count: bigint | number }]>("PRAGMA page_count");
        await capPages(Number(pages) + 8);
        const fill = async () => full.seed(Array.from({ length: 4 }, () => "x".repeat(1000)));
        await expect(async () => {
          for (;;) await fill();
        }).rejects.toMatchObject({ code: "SQLITE_FULL" });
        const stored = await full.things();

        const notReady = await ready(full.app);
        expect(notReady.status).toBe(503);
        expect(notReady.body.reason).toBe("database cannot write: database or disk is full");
        const refused = await full.execute(CreateThingDocument, { text: "y".repeat(1000) });
        expect(refused.errors?.[0]?.extensions?.code).toBe("INTERNAL_SERVER_ERROR");
        expect(await full.things()).toEqual(stored);

        await full.clear();
        expect(await ready(full.app)).toEqual({ status: 200, body: { ready: true } });
        const created = await full.execute(CreateThingDocument, { text: "after" });
        expect((await full.things()).map((thing) => thing.text)).toEqual(["after"]);
        expect(created.errors).toBeUndefined();
      } finally {
        await full.close();
      }
    },
  );
});
