// The delete audit over time: the retention purge (src/audit-purge.ts) on an injected clock, driven by runOnce()
// (what it removes, in which batches, that AUDIT_RETENTION_MS=0 keeps everything, one purging instance at a time on
// PostgreSQL), and the auditLog query (paging newest first, its bounds, the things:audit scope).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startAuditPurge, type AuditPurge } from "../src/audit-purge.ts";
import { purgeAuditBefore } from "../src/db/audit.ts";
import { sqlDialect } from "../src/db/dialect.ts";
import { createLogger } from "../src/logger.ts";
import { AuditLogDocument, DeleteThingsDocument, type AuditLogQuery } from "./gql/graphql.ts";
import {
  dataStatements,
  SCOPED_API_KEYS,
  startTestServer,
  TEST_API_KEY,
  TEST_API_KEYS_ENV,
  testProvider,
  type GraphQLResponse,
  type TestServer,
} from "./support/server.ts";

const DAY = 24 * 3600 * 1000;
const RETENTION = 90 * DAY;
const NOW = new Date("2027-03-01T12:00:00.000Z");
const ago = (ms: number) => new Date(NOW.getTime() - ms);

/** A key with things:audit and nothing else: reading the audit needs no other scope. */
const AUDITOR = { key: "test-key-things-audit", sub: "auditor", scopes: ["things:audit"] };

let server: TestServer;
beforeAll(async () => {
  const apiKeys = [...(JSON.parse(TEST_API_KEYS_ENV) as unknown[]), AUDITOR];
  server = await startTestServer({ now: () => NOW, env: { API_KEYS: JSON.stringify(apiKeys) } });
});
afterAll(() => server.close());

beforeEach(async () => {
  await server.raw.exec(`DELETE FROM "DeleteAudit"`);
  server.sql.length = 0;
});

let purge: AuditPurge | undefined;
afterEach(async () => {
  await purge?.stop();
  purge = undefined;
});

/** An audit purge of the test server's database at NOW; its timer never fires during a test. */
function startPurge(retentionMs = RETENTION, batchSize = 1000): AuditPurge {
  purge = startAuditPurge({
    prisma: server.prisma,
    dialect: sqlDialect(server.provider),
    logger: createLogger("silent"),
    retentionMs,
    intervalMs: 3_600_000,
    now: () => NOW,
    batchSize,
    pauseMs: 0,
  });
  return purge;
}

/** Audit rows written at these times, in this order (so ids ascend with the list); their ids. */
async function auditRowsAt(times: readonly Date[], subject = "test"): Promise<number[]> {
  const ids: number[] = [];
  for (const at of times) {
    const row = await server.prisma.deleteAudit.create({
      data: { at, subject, operation: "deleteThings", idCount: 1, dryRun: false },
    });
    ids.push(row.id);
  }
  return ids;
}

async function remainingIds(): Promise<number[]> {
  const rows = await server.prisma.deleteAudit.findMany({ select: { id: true }, orderBy: { id: "asc" } });
  return rows.map((row) => row.id);
}

const AUDIT_PURGE_DELETE = /^DELETE FROM "DeleteAudit" WHERE "id" IN \(SELECT "id" FROM "DeleteAudit"/;

describe("the audit retention purge", () => {
  it("removes exactly the rows older than AUDIT_RETENTION_MS and keeps the newer ones", async () => {
    const [, , , exactlyAtCutoff, recent] = await auditRowsAt([
      ago(400 * DAY),
      ago(RETENTION + DAY),
      ago(RETENTION + 1),
      ago(RETENTION),
      ago(DAY),
    ]);

    expect(await startPurge().runOnce()).toBe(3);

    expect(await remainingIds()).toEqual([exactlyAtCutoff, recent]);
    expect(await startPurge().runOnce()).toBe(0);
  });

  it("removes at most batchSize rows per statement, oldest first", async () => {
    const times = Array.from({ length: 250 }, (_, i) => ago(RETENTION + (250 - i) * 1000));
    const old = await auditRowsAt(times);
    const [kept] = await auditRowsAt([ago(DAY)]);
    server.sql.length = 0;

    // One batch by hand: the 100 oldest go, the 101st oldest is now the oldest.
    const dialect = sqlDialect(server.provider);
    expect(await purgeAuditBefore(server.prisma, dialect, ago(RETENTION), 100)).toBe(100);
    expect((await remainingIds())[0]).toBe(old[100]);

    expect(await startPurge(RETENTION, 100).runOnce()).toBe(150);

    const deletes = server.sql.filter((statement) => AUDIT_PURGE_DELETE.test(statement.sql));
    expect(deletes).toHaveLength(3);
    for (const statement of deletes) expect(statement.args.at(-1)).toBe(100);
    expect(await remainingIds()).toEqual([kept]);
  });

  it("AUDIT_RETENTION_MS=0 keeps every row and sends no SQL", async () => {
    const ids = await auditRowsAt([ago(3650 * DAY), ago(DAY)]);
    server.sql.length = 0;

    expect(await startPurge(0).runOnce()).toBe(0);

    expect(server.sql).toEqual([]);
    expect(await remainingIds()).toEqual(ids);
  });
});

describe.runIf(testProvider === "postgresql")("two instances purging the audit of one PostgreSQL database", () => {
  const AUDIT_PURGE_LOCK = 1416126831;
  const TRASH_PURGE_LOCK = 1416126830;

  it("take turns on the audit purge's own lock, which the trash purge's lock does not block", async () => {
    await auditRowsAt([ago(RETENTION + DAY), ago(RETENTION + DAY)]);
    const dialect = sqlDialect(server.provider);

    await server.raw.exec(`SELECT pg_advisory_lock(${AUDIT_PURGE_LOCK})`);
    try {
      expect(await purgeAuditBefore(server.prisma, dialect, ago(RETENTION), 1000)).toBeNull();
      expect(await startPurge().runOnce()).toBe(0);
      expect(await remainingIds()).toHaveLength(2);
    } finally {
      await server.raw.exec(`SELECT pg_advisory_unlock(${AUDIT_PURGE_LOCK})`);
    }

    await server.raw.exec(`SELECT pg_advisory_lock(${TRASH_PURGE_LOCK})`);
    try {
      expect(await startPurge().runOnce()).toBe(2);
    } finally {
      await server.raw.exec(`SELECT pg_advisory_unlock(${TRASH_PURGE_LOCK})`);
    }
    expect(await remainingIds()).toEqual([]);
  });
});

describe("auditLog", () => {
  it("pages every subject's audit newest first (ties by id), with totalCount, through `after` cursors", async () => {
    const [oldest, tiedFirst, tiedSecond] = await auditRowsAt([ago(3 * DAY), ago(2 * DAY), ago(2 * DAY)], "alice");
    const [newest] = await auditRowsAt([ago(DAY)], "bob");

    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: GraphQLResponse<AuditLogQuery> = await server.execute(
        AuditLogDocument,
        { first: 3, after },
        { token: AUDITOR.key },
      );
      expect(page.errors).toBeUndefined();
      expect(page.data?.auditLog.totalCount).toBe(4);
      seen.push(...page.data!.auditLog.edges.map((edge) => edge.node.id));
      if (!page.data!.auditLog.pageInfo.hasNextPage) break;
      after = page.data!.auditLog.pageInfo.endCursor ?? null;
    }

    expect(seen).toEqual([newest, tiedSecond, tiedFirst, oldest].map(String));
  });

  it("shows what a delete call recorded: subject, operation, count, dry run, deletion, time", async () => {
    const ids = (await server.seed(["a", "b"])).map(String);
    const deleted = await server.execute(DeleteThingsDocument, { ids: [...ids, "999999"] });
    expect(deleted.data?.deleteThings.deletedCount).toBe(2);

    const log = await server.execute(AuditLogDocument, { first: 10 }, { token: AUDITOR.key });

    expect(log.data?.auditLog.edges.map((edge) => edge.node)).toEqual([
      {
        id: expect.any(String),
        at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        subject: "test",
        operation: "deleteThings",
        idCount: 3,
        dryRun: false,
        deletionId: null,
      },
    ]);
  });

  it("is FORBIDDEN without things:audit, and UNAUTHENTICATED without a token, before any SQL", async () => {
    await auditRowsAt([ago(DAY)]);
    server.sql.length = 0;

    const forbidden = await server.execute(AuditLogDocument, { first: 1 }, { token: SCOPED_API_KEYS.delete.key });
    expect(forbidden.errors?.[0]?.extensions).toMatchObject({ code: "FORBIDDEN", scope: "things:audit" });
    expect(forbidden.data).toBeNull();
    const anonymous = await server.execute(AuditLogDocument, { first: 1 }, { token: null });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");

    expect(dataStatements(server.sql)).toEqual([]);
    const allowed = await server.execute(AuditLogDocument, { first: 1 }, { token: TEST_API_KEY });
    expect(allowed.data?.auditLog.totalCount).toBe(1);
  });

  it("refuses `first` over 100 and a forged cursor with BAD_USER_INPUT, before any SQL", async () => {
    const tooMany = await server.execute(AuditLogDocument, { first: 101 }, { token: AUDITOR.key });
    expect(tooMany.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", argumentName: "first", max: 100 });
    const forged = Buffer.from('GPC:J:["soon","x"]').toString("base64");
    const badCursor = await server.execute(AuditLogDocument, { first: 1, after: forged }, { token: AUDITOR.key });
    expect(badCursor.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", argumentName: "after" });

    expect(dataStatements(server.sql)).toEqual([]);
  });
});
