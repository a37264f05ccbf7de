// Prepared statements reused across requests on the SQLite connection. Prisma's better-sqlite3 adapter calls
// `prepare(sql).bind(args)` for every statement it runs, so SQLite compiled the same BEGIN, DELETE, audit INSERT and
// COMMIT again on every delete (7% of the server's CPU at concurrency 16, docs/benchmark.md). better-sqlite3 lets a
// statement be bound only once, so the connection handed to the adapter returns, per SQL text, a cached statement
// behind a small bound view that passes the arguments at each run instead.
import type BetterSqlite3 from "better-sqlite3";

/** Distinct SQL texts kept prepared; past it the least recently used is dropped (finalised once collected). */
export const STATEMENT_CACHE_SIZE = 200;
/**
 * Longer texts are prepared for one use, as before: they are the id lists past the ones Prisma's plan cache
 * repeats (IN with hundreds of placeholders), whose compiled form is large and rarely reused.
 */
export const STATEMENT_CACHE_MAX_SQL_CHARS = 4000;

type Statement = BetterSqlite3.Statement<unknown[]>;

/** What the adapter uses of a better-sqlite3 statement (see test/sqlite-statement-cache.test.ts), bound to `args`. */
class BoundStatement {
  constructor(
    private readonly statement: Statement,
    private readonly args: readonly unknown[] = [],
  ) {}

  get reader(): boolean {
    return this.statement.reader;
  }

  bind(args: readonly unknown[]): BoundStatement {
    return new BoundStatement(this.statement, args);
  }

  run(): BetterSqlite3.RunResult {
    return this.statement.run(...this.args);
  }

  columns(): BetterSqlite3.ColumnDefinition[] {
    return this.statement.columns();
  }

  raw(): { all: () => unknown[] } {
    return { all: () => this.statement.raw(true).all(...this.args) };
  }
}

class StatementCache {
  // Each text's statement behind its unbound view, which the adapter binds at once: a hit allocates only the bound
  // view. A Map iterates in insertion order: re-inserting on each hit keeps the least recently used entry first.
  readonly #statements = new Map<string, BoundStatement>();

  constructor(private readonly database: BetterSqlite3.Database) {}

  prepare(sql: string): BoundStatement {
    if (sql.length > STATEMENT_CACHE_MAX_SQL_CHARS) return new BoundStatement(this.database.prepare(sql));
    let statement = this.#statements.get(sql);
    if (statement) {
      this.#statements.delete(sql);
    } else {
      statement = new BoundStatement(this.database.prepare(sql));
      if (this.#statements.size >= STATEMENT_CACHE_SIZE) {
        const oldest = this.#statements.keys().next();
        if (!oldest.done) this.#statements.delete(oldest.value);
      }
    }
    this.#statements.set(sql, statement);
    return statement;
  }

  get size(): number {
    return this.#statements.size;
  }
}

/** The connection as the adapter sees it: `prepare` served from the cache, everything else the database's own. */
export interface CachingConnection {
  connection: BetterSqlite3.Database;
  /** Statements held prepared now (for tests). */
  cachedStatements: () => number;
}

export function withStatementCache(database: BetterSqlite3.Database): CachingConnection {
  const cache = new StatementCache(database);
  const connection = new Proxy(database, {
    get(target, property) {
      if (property === "prepare") return (sql: string) => cache.prepare(sql);
      const value: unknown = Reflect.get(target, property, target);
      // better-sqlite3's methods check that `this` is the native database object, not a proxy of it.
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { connection, cachedStatements: () => cache.size };
}
