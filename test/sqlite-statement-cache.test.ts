// Prepared statements kept across the SQLite adapter's calls: each SQL text compiled once, each run with its own
// arguments, and the cache bounded. Real better-sqlite3 databases in temporary files; `prepare` is only counted.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import type { SqlDriverAdapter, SqlQuery } from "@prisma/driver-adapter-utils";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { sqliteAdapterFactory } from "../src/db/sqlite.ts";
import {
  STATEMENT_CACHE_MAX_SQL_CHARS,
  STATEMENT_CACHE_SIZE,
  withStatementCache,
} from "../src/db/sqlite-statement-cache.ts";

const INSERT = `INSERT INTO "Note" ("id", "text") VALUES (?, ?)`;
const SELECT = `SELECT "id", "text" FROM "Note" WHERE "id" >= ? ORDER BY "id"`;

const INT_AND_TEXT: SqlQuery["argTypes"] = [
  { scalarType: "int", arity: "scalar" },
  { scalarType: "string", arity: "scalar" },
];
const INT: SqlQuery["argTypes"] = [{ scalarType: "int", arity: "scalar" }];

function insert(id: number): SqlQuery {
  return { sql: INSERT, args: [id, `note ${id}`], argTypes: INT_AND_TEXT };
}

/** What Prisma's transaction manager sends to end a transaction before it calls the adapter's commit. */
const COMMIT: SqlQuery = { sql: "COMMIT", args: [], argTypes: [] };

let dir: string;
let adapter: SqlDriverAdapter | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "statement-cache-"));
});
afterEach(async () => {
  await adapter?.dispose();
  adapter = undefined;
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

describe("the SQLite adapter's connection", () => {
  it("prepares each SQL text once and runs it with each call's own arguments, in and out of transactions", async () => {
    adapter = await sqliteAdapterFactory(`file:${join(dir, "notes.db")}`, "NORMAL").connect();
    await adapter.executeScript(`CREATE TABLE "Note" ("id" INTEGER PRIMARY KEY, "text" TEXT NOT NULL)`);
    const prepare = vi.spyOn(BetterSqlite3.prototype, "prepare");

    for (const id of [1, 2, 3]) {
      expect(await adapter.executeRaw(insert(id))).toBe(1);
    }
    for (const id of [4, 5]) {
      const transaction = await adapter.startTransaction();
      await transaction.executeRaw(insert(id));
      await transaction.executeRaw(COMMIT);
      await transaction.commit();
    }
    const fromTwo = await adapter.queryRaw({ sql: SELECT, args: [2], argTypes: INT });
    const fromFour = await adapter.queryRaw({ sql: SELECT, args: [4], argTypes: INT });

    expect(fromTwo.columnNames).toEqual(["id", "text"]);
    expect(fromTwo.rows).toEqual([2, 3, 4, 5].map((id) => [id, `note ${id}`]));
    expect(fromFour.rows).toEqual([4, 5].map((id) => [id, `note ${id}`]));
    const preparedTexts = prepare.mock.calls.map(([sql]) => sql);
    expect(preparedTexts.sort()).toEqual(["BEGIN", "COMMIT", INSERT, SELECT].sort());
  });

  it("reports a failing statement as the adapter did, and runs it again once the cause is gone", async () => {
    adapter = await sqliteAdapterFactory(`file:${join(dir, "notes.db")}`, "NORMAL").connect();
    await adapter.executeScript(`CREATE TABLE "Note" ("id" INTEGER PRIMARY KEY, "text" TEXT NOT NULL)`);
    const insertOne = () => adapter!.executeRaw(insert(1));

    await insertOne();
    await expect(insertOne()).rejects.toMatchObject({ name: "DriverAdapterError" });
    await adapter.executeScript(`DELETE FROM "Note"`);
    expect(await insertOne()).toBe(1);
  });
});

describe("withStatementCache", () => {
  it(`keeps at most ${STATEMENT_CACHE_SIZE} texts, dropping the least recently used`, () => {
    const database = new BetterSqlite3(":memory:");
    const { connection, cachedStatements } = withStatementCache(database);
    const prepare = vi.spyOn(database, "prepare");
    const texts = Array.from({ length: STATEMENT_CACHE_SIZE + 50 }, (_, index) => `SELECT ${index}`);

    connection.prepare(texts[0]!).run();
    for (const text of texts.slice(1)) {
      connection.prepare(text).run();
      connection.prepare(texts[0]!).run(); // used after every other text: never the least recently used
    }
    prepare.mockClear();
    connection.prepare(texts[0]!).run();
    connection.prepare(texts[1]!).run();

    expect(cachedStatements()).toBe(STATEMENT_CACHE_SIZE);
    expect(prepare.mock.calls.map(([sql]) => sql)).toEqual([texts[1]]);
    database.close();
  });

  it("prepares a text longer than the limit for one use only", () => {
    const database = new BetterSqlite3(":memory:");
    const { connection, cachedStatements } = withStatementCache(database);
    const long = `SELECT 1 IN (${Array.from({ length: STATEMENT_CACHE_MAX_SQL_CHARS / 2 }, () => "1").join(",")})`;

    expect(connection.prepare(long).raw().all()).toEqual([[1]]);
    expect(cachedStatements()).toBe(0);
    database.close();
  });
});
