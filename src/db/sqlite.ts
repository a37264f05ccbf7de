// The embedded SQLite database, better-sqlite3 through Prisma's driver adapter, with the settings and the two fixes
// this project relies on.
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import Database from "better-sqlite3";
import type { SqlDriverAdapter, SqlDriverAdapterFactory, SqlQuery, Transaction } from "@prisma/driver-adapter-utils";
import type { SqliteSynchronous } from "../config.ts";
import { withStatementCache } from "./sqlite-statement-cache.ts";

/** How long a write waits for another connection's lock (e.g. `npm run db:migrate` running beside the server). */
const BUSY_TIMEOUT_MS = 5000;

/**
 * WAL lets readers run while a delete commits and turns each commit into one sequential append, which makes a
 * small deleteMany about 5x faster than the default rollback journal. With synchronous=NORMAL a commit is not
 * fsynced until the next checkpoint: a power cut or OS crash may lose the last transactions, never corrupt the
 * file; an application crash loses nothing. SQLITE_SYNCHRONOUS=FULL trades that speed for durability.
 */
function pragmas(synchronous: SqliteSynchronous): string {
  return ["PRAGMA journal_mode = WAL", `PRAGMA synchronous = ${synchronous}`, "PRAGMA foreign_keys = ON"].join(";\n");
}

/**
 * The adapter's executeRaw steps a statement once (better-sqlite3's `run`), which is all an INSERT or DELETE needs;
 * `PRAGMA incremental_vacuum(N)` frees one page per step, so through executeRaw it freed 1 page, not N. A
 * parameterless PRAGMA goes through executeScript (`exec`), which steps it to the end; it reports 0 rows changed.
 */
function isPragmaCommand(query: SqlQuery): boolean {
  return query.args.length === 0 && /^\s*PRAGMA\b/i.test(query.sql);
}

/** Counts transactions that are open or waiting to open, and lets others wait until there are none. */
class TransactionGate {
  #active = 0;
  #idle: Promise<void> = Promise.resolve();
  #signalIdle: () => void = () => {};

  enter(): void {
    if (this.#active++ === 0) this.#idle = new Promise((resolve) => (this.#signalIdle = resolve));
  }

  leave(): void {
    if (--this.#active === 0) this.#signalIdle();
  }

  async whenIdle(): Promise<void> {
    while (this.#active > 0) await this.#idle;
  }
}

/**
 * Prisma's better-sqlite3 adapter runs transactions and plain statements on ONE connection, and only transactions
 * wait for each other. A plain statement from another request, issued while a transaction is open (Prisma opens one
 * for a deleteMany of more than 999 ids), would run inside that transaction and be rolled back with it although its
 * caller was told it succeeded. Here plain statements wait until no transaction is open or pending, so every
 * statement belongs to exactly the unit of work that issued it.
 */
function isolateTransactions(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const gate = new TransactionGate();
  const afterTransactions =
    <A extends unknown[], R>(run: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      await gate.whenIdle();
      return run(...args);
    };
  const leaveAfter = (finish: () => Promise<void>) => async (): Promise<void> => {
    try {
      await finish();
    } finally {
      gate.leave();
    }
  };
  return {
    provider: adapter.provider,
    adapterName: adapter.adapterName,
    queryRaw: afterTransactions((query: SqlQuery) => adapter.queryRaw(query)),
    executeRaw: afterTransactions((query: SqlQuery) =>
      isPragmaCommand(query) ? adapter.executeScript(query.sql).then(() => 0) : adapter.executeRaw(query),
    ),
    executeScript: afterTransactions((script: string) => adapter.executeScript(script)),
    getConnectionInfo: adapter.getConnectionInfo?.bind(adapter),
    dispose: () => adapter.dispose(),
    startTransaction: async (isolationLevel) => {
      gate.enter();
      let transaction: Transaction;
      try {
        transaction = await adapter.startTransaction(isolationLevel);
      } catch (error) {
        gate.leave();
        throw error;
      }
      return {
        provider: transaction.provider,
        adapterName: transaction.adapterName,
        options: transaction.options,
        queryRaw: (query) => transaction.queryRaw(query),
        executeRaw: (query) => transaction.executeRaw(query),
        createSavepoint: transaction.createSavepoint?.bind(transaction),
        rollbackToSavepoint: transaction.rollbackToSavepoint?.bind(transaction),
        releaseSavepoint: transaction.releaseSavepoint?.bind(transaction),
        commit: leaveAfter(() => transaction.commit()),
        rollback: leaveAfter(() => transaction.rollback()),
      };
    },
  };
}

/**
 * Puts the statement cache between the adapter and its connection. The adapter keeps the better-sqlite3 database it
 * opened in its `client` field and offers no way to pass one in; if a Prisma release moves it, the start fails here
 * rather than running without the cache unnoticed.
 */
function cacheStatements(adapter: SqlDriverAdapter): void {
  const holder = adapter as unknown as { client?: unknown };
  if (!(holder.client instanceof Database)) {
    throw new Error("@prisma/adapter-better-sqlite3 keeps no better-sqlite3 Database in `client` any more");
  }
  holder.client = withStatementCache(holder.client).connection;
}

export function sqliteAdapterFactory(databaseUrl: string, synchronous: SqliteSynchronous): SqlDriverAdapterFactory {
  const factory = new PrismaBetterSqlite3({ url: databaseUrl, timeout: BUSY_TIMEOUT_MS });
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => {
      const adapter = await factory.connect();
      cacheStatements(adapter);
      await adapter.executeScript(pragmas(synchronous));
      return isolateTransactions(adapter);
    },
  };
}
