// Reports every statement a Prisma driver adapter sends, transaction boundaries included. Tests use it to prove
// "one DELETE, no per-row work"; LOG_LEVEL=trace uses it to log SQL.
import type { SqlDriverAdapter, SqlDriverAdapterFactory, SqlQuery, Transaction } from "@prisma/driver-adapter-utils";

export interface ObservedStatement {
  sql: string;
  args: readonly unknown[];
}

export type SqlListener = (statement: ObservedStatement) => void;

/** Calls `listener` before each statement; the adapter itself is used unchanged (its private fields stay reachable). */
function tap<T extends object>(target: T, listener: SqlListener): T {
  const report = (sql: string, args: readonly unknown[] = []) => listener({ sql, args });
  return new Proxy(target, {
    get(object, property) {
      const value: unknown = Reflect.get(object, property, object);
      if (typeof value !== "function") return value;
      const method = value.bind(object) as (...args: unknown[]) => unknown;
      switch (property) {
        case "queryRaw":
        case "executeRaw":
          return (query: SqlQuery) => (report(query.sql, query.args), method(query));
        case "executeScript":
          return (script: string) => (report(script), method(script));
        case "startTransaction":
          // Adapters send BEGIN themselves, inside startTransaction, where no tap sees it.
          return async (...args: unknown[]) => {
            const transaction = (await method(...args)) as Transaction;
            report("BEGIN");
            return tap(transaction, listener);
          };
        case "commit":
        case "rollback":
          // Without phantom queries Prisma sends COMMIT/ROLLBACK as real statements (reported above), and
          // commit()/rollback() only release the connection.
          return () => {
            if ((object as Partial<Transaction>).options?.usePhantomQuery) report(property.toUpperCase());
            return method();
          };
        default:
          return method;
      }
    },
  });
}

export function tapSqlAdapterFactory(factory: SqlDriverAdapterFactory, listener: SqlListener): SqlDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async (): Promise<SqlDriverAdapter> => tap(await factory.connect(), listener),
  };
}
