// How statements travel to PostgreSQL (src/db/postgres-wire.ts): the BEGIN and audit rows with the next statement,
// the count-only delete as one implicit transaction, integer IN lists as one array, named statements bounded. Counted by the protocol messages that end a round trip
// (Sync and simple Query) on the pool's one connection, and checked on the database's rows.
import { afterAll, beforeAll, describe, test } from "vitest";
import type pg from "pg";
import { PrismaClient as PostgresPrismaClient } from "../src/generated/prisma-postgresql/client.ts";
import type { PrismaClient } from "../src/generated/prisma/client.ts";
import { postgresDialect } from "../src/db/dialect.ts";
import { migrateDatabase } from "../src/db/migrations/index.ts";
import { postgresAdapterFactory } from "../src/db/postgres.ts";
import { MAX_NAMED_STATEMENTS } from "../src/db/postgres-wire.ts";
import { ThingDeletes, type DeleteOptions } from "../src/db/thing-deletes.ts";
import {
  createScratchDatabase,
  openRawDatabase,
  servicesAvailable,
  type RawDatabase,
  type ScratchDatabase,
} from "./support/databases.ts";

const available = await servicesAvailable("PostgreSQL wire tests", ["postgres"]);
const PERMANENT: DeleteOptions = { dryRun: false, wantIds: false, subject: "wire-test", trash: null };

/**
 * The app's PostgreSQL client on a pool of one connection, so that every statement finds what earlier ones
 * prepared, with the protocol messages that end a round trip counted on it.
 */
function countedClient(url: string) {
  const counter = { roundTrips: 0 };
  const { factory, pool } = postgresAdapterFactory(url, { poolSize: 1 });
  pool.on("connect", (client: pg.PoolClient) => {
    const connection = (client as unknown as { connection: Record<"sync" | "query", (...args: unknown[]) => void> })
      .connection;
    for (const message of ["sync", "query"] as const) {
      const send = connection[message].bind(connection);
      connection[message] = (...args) => (counter.roundTrips++, send(...args));
    }
  });
  const prisma = new PostgresPrismaClient({ adapter: factory }) as unknown as PrismaClient;
  return { prisma, deletes: new ThingDeletes(prisma, postgresDialect), counter };
}

describe.skipIf(!available)("statements on the wire to PostgreSQL", () => {
  let database: ScratchDatabase;
  let prisma: PrismaClient;
  let deletes: ThingDeletes;
  let counter: { roundTrips: number };

  beforeAll(async () => {
    database = await createScratchDatabase("postgresql");
    await migrateDatabase({ databaseUrl: database.url });
    ({ prisma, deletes, counter } = countedClient(database.url));
  });
  afterAll(async () => {
    await prisma?.$disconnect();
    await database?.drop();
  });

  /** Direct access to the test database, around the app's pool. */
  async function withRaw(work: (raw: RawDatabase) => Promise<void>): Promise<void> {
    const raw = await openRawDatabase(database.url);
    try {
      await work(raw);
    } finally {
      await raw.close();
    }
  }

  /** Makes the database refuse every audit row (a trigger raising "audit refused"); returns the undo. */
  async function refuseAuditRows(raw: RawDatabase): Promise<() => Promise<void>> {
    await raw.exec(`CREATE OR REPLACE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit refused'; END $$`);
    await raw.exec(
      `CREATE TRIGGER refuse_audit BEFORE INSERT ON "DeleteAudit" FOR EACH ROW EXECUTE FUNCTION refuse_audit()`,
    );
    return () => raw.exec(`DROP TRIGGER refuse_audit ON "DeleteAudit"`);
  }

  /** An audit row as the deletes write it, for transactions written out by hand. */
  const auditRow = () => ({
    at: new Date(),
    subject: "wire-test",
    operation: "deleteThings",
    idCount: 1,
    dryRun: false,
  });

  async function counted<T>(work: () => Promise<T>): Promise<{ result: T; roundTrips: number }> {
    const before = counter.roundTrips;
    const result = await work();
    return { result, roundTrips: counter.roundTrips - before };
  }

  test("a count-only delete is one round trip (the audit row and the DELETE, committed at their Sync), exact for every K", async ({
    expect,
  }) => {
    await withRaw(async (raw) => {
      // Twice per K: the first prepares the statements on the connection, the second reuses them.
      for (const k of [1, 2, 3, 100, 1000, 1000]) {
        const ids = await raw.seedNumbered(k);
        const { result, roundTrips } = await counted(() => deletes.byIds([...ids, -1], PERMANENT));
        expect(result.deletedCount).toBe(k);
        // The very first transaction on the connection prepares its BEGIN and the audit row in round trips of their own.
        if (k > 1) expect(roundTrips).toBe(1);
        expect(await raw.things()).toEqual([]);
      }
      const audit = await raw.audit();
      expect(audit.map((row) => row.idCount)).toEqual([2, 3, 4, 101, 1001, 1001]);
    });
  });

  test("with a ?schema= URL the count-only delete is still one round trip, its audit row in that schema", async ({
    expect,
  }) => {
    const url = `${database.url}?schema=wire_tenant`;
    await migrateDatabase({ databaseUrl: url });
    const tenant = countedClient(url);
    try {
      const [id] = (await tenant.prisma.thing.createManyAndReturn({ data: [{ text: "a" }] })).map((thing) => thing.id);
      await tenant.deletes.byIds([-1], PERMANENT);
      const before = tenant.counter.roundTrips;
      expect((await tenant.deletes.byIds([id!, -1], PERMANENT)).deletedCount).toBe(1);
      expect(tenant.counter.roundTrips - before).toBe(1);
      const audit = await tenant.prisma.$queryRaw<{ rows: bigint }[]>`
        SELECT count(*) AS rows FROM wire_tenant."DeleteAudit" WHERE "idCount" = 2`;
      expect(audit).toEqual([{ rows: 1n }]);
    } finally {
      await tenant.prisma.$disconnect();
    }
  });

  test("other IN lists keep their meaning: NOT IN, texts, and ids next to another parameter", async ({ expect }) => {
    await withRaw(async (raw) => {
      const ids = await raw.seedNumbered(4);
      const [a, b, c] = ids as [number, number, number, number];
      expect(await prisma.thing.count({ where: { id: { notIn: [a, b] } } })).toBe(2);
      expect(await prisma.thing.count({ where: { text: { in: ["thing 0", "thing 1"] } } })).toBe(2);
      expect(await prisma.thing.count({ where: { id: { in: [a, b, c] }, text: { not: "thing 0" } } })).toBe(2);
      expect((await prisma.thing.deleteMany({ where: { id: { in: [a, b, c] } } })).count).toBe(3);
      expect(await raw.things()).toHaveLength(1);
      await raw.clear();
    });
  });

  test("a delete-all whose count does not match deletes nothing, on the first transaction of a connection and after", async ({
    expect,
  }) => {
    await withRaw(async (raw) => {
      await raw.seedNumbered(5);
      const auditRows = (await raw.audit()).length;
      for (let attempt = 0; attempt < 3; attempt++) {
        await expect(deletes.all(4, PERMANENT)).rejects.toThrow(/There are 5 Things, not 4/);
        expect(await raw.things()).toHaveLength(5);
        expect(await raw.audit()).toHaveLength(auditRows);
      }
      // BEGIN and the DELETE in one round trip, then the audit row with the COMMIT: after the check, never before.
      const { result, roundTrips } = await counted(() => deletes.all(5, PERMANENT));
      expect(result.deletedCount).toBe(5);
      expect(roundTrips).toBe(2);
      expect(await raw.things()).toEqual([]);
    });
  });

  test("a delete-all whose audit row, sent with the COMMIT, fails deletes nothing, and the connection takes the next", async ({
    expect,
  }) => {
    await withRaw(async (raw) => {
      await raw.seedNumbered(3);
      const auditRows = (await raw.audit()).length;
      const allow = await refuseAuditRows(raw);
      for (let attempt = 0; attempt < 2; attempt++) {
        await expect(deletes.all(3, PERMANENT)).rejects.toThrow();
        expect(await raw.things()).toHaveLength(3);
      }
      await allow();
      expect((await deletes.all(3, PERMANENT)).deletedCount).toBe(3);
      expect(await raw.audit()).toHaveLength(auditRows + 1);
    });
  });

  const refusals: [string, (raw: RawDatabase, ids: number[]) => Promise<() => Promise<void>>][] = [
    ["DELETE, sent with the audit row,", (raw, ids) => raw.refuseDeleteOf({ id: ids[1]! })],
    ["audit row, sent with the DELETE,", (raw) => refuseAuditRows(raw)],
  ];
  test.for(refusals)(
    "a delete whose %s fails leaves every row and no audit row, and the connection usable",
    async ([, refuse], { expect }) => {
      await withRaw(async (raw) => {
        const ids = await raw.seedNumbered(3);
        const auditRows = (await raw.audit()).length;
        const allow = await refuse(raw, ids);
        // Twice: the first attempt may prepare its statements one by one, the second sends them together.
        for (let attempt = 0; attempt < 2; attempt++) {
          await expect(deletes.byIds(ids, PERMANENT)).rejects.toThrow();
          expect(await raw.things()).toHaveLength(3);
          expect(await raw.audit()).toHaveLength(auditRows);
        }
        await allow();
        const { result, roundTrips } = await counted(() => deletes.byIds(ids, PERMANENT));
        expect(result.deletedCount).toBe(3);
        expect(roundTrips).toBe(1);
        expect(await raw.audit()).toHaveLength(auditRows + 1);
      });
    },
  );

  test("an audit row that is a transaction's last statement goes with its COMMIT, and rolls back if it fails", async ({
    expect,
  }) => {
    // An interactive transaction of nothing but the audit row: BEGIN, the row, then COMMIT.
    const auditOnly = () =>
      prisma.$transaction(async (tx) => {
        await tx.deleteAudit.createMany({ data: [{ ...auditRow(), idCount: 0 }] });
      });
    await withRaw(async (raw) => {
      const before = (await raw.audit()).length;
      await auditOnly();
      const { roundTrips } = await counted(auditOnly);
      expect(roundTrips).toBe(1);
      expect(await raw.audit()).toHaveLength(before + 2);
      const allow = await refuseAuditRows(raw);
      await expect(auditOnly()).rejects.toThrow(/audit refused/);
      await allow();
      // The failed COMMIT's transaction was rolled back on the pool's one connection, which takes the next as usual.
      await auditOnly();
      expect(await raw.audit()).toHaveLength(before + 3);
    });
  });

  test("an audit row held after a transaction's DELETE is dropped with it when the transaction rolls back", async ({
    expect,
  }) => {
    await withRaw(async (raw) => {
      const [id] = await raw.seedNumbered(1);
      const auditRows = (await raw.audit()).length;
      const rolledBack = prisma.$transaction(async (tx) => {
        await tx.thing.deleteMany({ where: { id } });
        await tx.deleteAudit.createMany({ data: [auditRow()] });
        throw new Error("changed my mind");
      });
      await expect(rolledBack).rejects.toThrow(/changed my mind/);
      // The ROLLBACK reached the pool's one connection: no transaction with a write is left open on it.
      expect(await prisma.$queryRaw`SELECT txid_current_if_assigned() AS txid`).toEqual([{ txid: null }]);
      expect(await raw.things()).toHaveLength(1);
      expect(await raw.audit()).toHaveLength(auditRows);
      await raw.clear();
    });
  });

  test("a transaction that opens with its audit row is committed with its next statement, and refuses a third", async ({
    expect,
  }) => {
    await withRaw(async (raw) => {
      const [first, second] = (await raw.seedNumbered(3)) as [number, number, number];
      // Prepares the audit row's statement on the pool's one connection, as any earlier delete does.
      await deletes.byIds([-1], PERMANENT);
      const auditRows = (await raw.audit()).length;
      const threeStatements = prisma.$transaction(async (tx) => {
        await tx.deleteAudit.createMany({ data: [auditRow()] });
        await tx.thing.deleteMany({ where: { id: first } });
        await tx.thing.deleteMany({ where: { id: second } });
      });
      await expect(threeStatements).rejects.toThrow(/opened with its audit row ran a second statement/);
      // The audit row and the first DELETE were one implicit transaction, committed at its Sync; the third never ran.
      const left = (await raw.things()).map((thing) => thing.id);
      expect(left).not.toContain(first);
      expect(left).toContain(second);
      expect(await raw.audit()).toHaveLength(auditRows + 1);
      // The connection takes the next transaction as usual.
      expect((await deletes.byIds([second], PERMANENT)).deletedCount).toBe(1);
      await raw.clear();
    });
  });

  test("named statements stay bounded per connection whatever texts clients cause", async ({ expect }) => {
    // Text IN lists are not rewritten: each length is a new statement text.
    for (let length = 1; length <= MAX_NAMED_STATEMENTS + 20; length++) {
      await prisma.thing.findMany({ where: { text: { in: Array.from({ length }, (_, i) => `t${i}`) } } });
    }
    const rows = await prisma.$queryRaw<
      { prepared: bigint }[]
    >`SELECT count(*) AS prepared FROM pg_prepared_statements`;
    // Plus the two statements a transaction opens with.
    expect(Number(rows[0]?.prepared)).toBeLessThanOrEqual(MAX_NAMED_STATEMENTS + 2);
  });
});
