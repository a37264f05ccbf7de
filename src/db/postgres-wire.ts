// How the statements Prisma's pg adapter hands to a pooled connection travel to PostgreSQL: fewer round trips and
// less parsing, with the same statements run in the same transactions.
import pg from "pg";

/**
 * Most distinct statement texts given a name, process-wide. A named statement is parsed and planned once per
 * connection and then only bound; each name costs one prepared statement per pooled connection on the server,
 * and pg remembers every name it parsed for the connection's lifetime, so the set must stay bounded whatever
 * clients send. Texts seen after the cap is reached are sent unnamed, as before: slower, never unbounded.
 */
export const MAX_NAMED_STATEMENTS = 200;

/** Longer texts stay unnamed: a statement that long is rare and costs its parse less than the memory it would keep. */
const MAX_NAMED_TEXT_LENGTH = 4000;

/** The statements Prisma's pg adapter opens a transaction with (its startTransaction), each on its own round trip. */
const TRANSACTION_OPENING = /^(BEGIN|SET TRANSACTION ISOLATION LEVEL [A-Z ]+)$/;

/**
 * The audit row as Prisma's `createMany` of one row writes it (src/db/thing-deletes.ts) into the DeleteAudit table of
 * `quotedSchema` (the schema as an SQL identifier, as Prisma writes it): one row of parameters, no RETURNING, into a
 * table no trigger is defined on (the migrations define none), so its answer is known before it runs: it inserts
 * one row, or it fails. A text that matches nothing here is sent as any other statement, so a quoting this misses
 * costs a round trip, not atomicity. Built once per pool: every connection of it writes to the same schema.
 */
export function auditRowInsert(quotedSchema: string): RegExp {
  const table = `${quotedSchema}."DeleteAudit"`.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`^INSERT INTO ${table} \\("[^)]*"\\) VALUES \\(\\$1(,\\$\\d+)*\\)$`);
}

interface QueryConfig {
  text: string;
  name?: string;
  values?: unknown[];
  [option: string]: unknown;
}

/** pg's protocol writer and its per-connection record of parsed statements (not in pg's typings). */
interface WireConnection {
  parsedStatements: Record<string, string>;
  bind(config: {
    portal: string;
    statement: string;
    values: readonly unknown[];
    valueMapper: (value: unknown) => unknown;
  }): void;
  execute(config: { portal: string }): void;
}

/** The protected part of pg's Query that a subclass extends (not in pg's typings). */
interface QueryInternals {
  prepare(connection: WireConnection): void;
  handleCommandComplete(message: unknown, connection: WireConnection): void;
}

const QueryBase = pg.Query as unknown as new (config: QueryConfig) => pg.Query & QueryInternals;

/** How pg turns a parameter into its text form when it binds (pg's own utils, not in its typings). */
const { prepareValue } = (pg as unknown as { utils: { prepareValue(value: unknown): unknown } }).utils;

/**
 * A statement held back and already answered: a transaction's opening statements (no parameters, name `tx:…`),
 * and an audit row inside a transaction. It is sent, named, with the next statement.
 */
interface HeldStatement {
  name: string;
  text: string;
  values: readonly unknown[];
}

/**
 * A statement preceded, in the same message batch and before the same Sync, by held statements already prepared on
 * the connection (the transaction's BEGIN, audit rows). PostgreSQL skips everything after a failed message
 * up to the Sync, so if one of them fails the statement does not run at all, outside a transaction or otherwise;
 * the caller gets the error.
 */
class OpenedQuery extends QueryBase {
  #held: readonly HeldStatement[];
  #completionsToSkip: number;

  constructor(config: QueryConfig, held: readonly HeldStatement[]) {
    super(config);
    this.#held = held;
    this.#completionsToSkip = held.length;
  }

  requiresPreparation(): boolean {
    return true;
  }

  override prepare(connection: WireConnection): void {
    for (const { name, values } of this.#held) {
      connection.bind({ portal: "", statement: name, values, valueMapper: prepareValue });
      connection.execute({ portal: "" });
    }
    super.prepare(connection);
  }

  /** The held statements' completions come first; the result is the statement's alone. */
  override handleCommandComplete(message: unknown, connection: WireConnection): void {
    if (this.#completionsToSkip > 0) this.#completionsToSkip--;
    else super.handleCommandComplete(message, connection);
  }
}

/** Names of the opening statements: apart from StatementNames' `s<n>`, so a held statement tells its kind. */
const OPENING_PREFIX = "tx:";

function openingName(text: string): string {
  return `${OPENING_PREFIX}${text}`;
}

const isOpening = ({ name }: HeldStatement) => name.startsWith(OPENING_PREFIX);

/**
 * Gives statement texts names, first come first named, up to MAX_NAMED_STATEMENTS. One per pool: a name must mean
 * the same text on every connection.
 */
export class StatementNames {
  readonly #names = new Map<string, string>();

  nameFor(text: string): string | undefined {
    const known = this.#names.get(text);
    if (known !== undefined || this.#names.size >= MAX_NAMED_STATEMENTS || text.length > MAX_NAMED_TEXT_LENGTH)
      return known;
    const name = `s${this.#names.size}`;
    this.#names.set(text, name);
    return name;
  }
}

/**
 * The shape of Prisma's `{ in: ids }` filter on one Int column: one placeholder per id (`IN ($1,$2,…,$K)`), so each
 * K is a new text to parse and plan, and PostgreSQL parses K parameters. The same test with the ids as one int[]
 * parameter (`= ANY($1)`) is one text for every K; for a list of integers (never null in an `in` filter) the two
 * are the same predicate. Only a statement whose parameters are exactly that list is rewritten.
 */
function withArrayInList(config: QueryConfig): QueryConfig {
  const { text, values } = config;
  if (!values || values.length < 2 || !values.every(Number.isSafeInteger)) return config;
  const list = ` IN (${values.map((_, i) => `$${i + 1}`).join(",")})`;
  const at = text.indexOf(list);
  if (at < 0 || text.endsWith(" NOT", at)) return config;
  const before = text.slice(0, at);
  const after = text.slice(at + list.length);
  // Another placeholder would be another parameter: the list is not all the statement binds.
  if (/\$\d/.test(before) || /\$\d/.test(after)) return config;
  // The array literal is written here: pg would escape and quote it element by element, which integers do not need.
  return { ...config, text: `${before} = ANY($1::int8[])${after}`, values: [`{${values.join(",")}}`] };
}

/** What a held statement reports: pg's result of a command without rows (an INSERT: of one row). */
function commandResult(text: string, rowCount: number | null = null): pg.QueryResult {
  return { command: text.split(" ")[0] ?? text, rowCount, oid: 0, fields: [], rows: [] };
}

const opening = (text: string): HeldStatement => ({ name: openingName(text), text, values: [] });

/**
 * Shapes the statements of one pooled connection (call it on the pool's `connect` event). Only the promise form
 * `client.query(config)` is touched, which is what the adapter uses on a transaction's connection; pg's pool calls
 * its clients with a callback, which passes through after naming and rewriting.
 *
 * Inside a transaction, an audit row is held back (answered: one row) and sent with the next statement. A
 * transaction that opens with its audit row right after a plain BEGIN is a batch of two (src/db/thing-deletes.ts:
 * the count-only deleteThings, `$transaction([audit row, deleteMany])`): the row and the one statement after it are
 * sent without the BEGIN, in one message batch ending in one Sync. With no BEGIN, PostgreSQL runs every message up
 * to the Sync in one implicit transaction and commits it at the Sync, or rolls all of it back if one fails, so the
 * audit row stays atomic with the DELETE in one round trip instead of two; the COMMIT (or ROLLBACK) Prisma sends
 * after it is answered here. Any other statement in such a transaction is refused: it would run outside it.
 */
export function shapeStatements(client: pg.PoolClient, names: StatementNames, isAuditRow: RegExp): void {
  const connection = (client as unknown as { connection: WireConnection }).connection;
  const original = client.query.bind(client) as (...args: unknown[]) => unknown;
  /** Statements held back until the transaction's next one: its opening, and an audit row. */
  let held: HeldStatement[] = [];
  /** A BEGIN was answered and its COMMIT or ROLLBACK not yet. */
  let inTransaction = false;
  /** The transaction was a batch of two, already ended by PostgreSQL at its Sync: only its end may follow. */
  let endedAtSync = false;

  const shaped = (config: QueryConfig): QueryConfig => {
    const rewritten = withArrayInList(config);
    return { ...rewritten, name: names.nameFor(rewritten.text) };
  };

  const isPrepared = ({ name }: HeldStatement) => connection.parsedStatements[name] !== undefined;

  const send = async (config: QueryConfig, batch: readonly HeldStatement[]): Promise<pg.QueryResult> => {
    const prepared = batch.every(isPrepared);
    // Until all of them are prepared on this connection, the held statements run one by one, which prepares them.
    if (!prepared) for (const { name, text, values } of batch) await original({ name, text, values });
    const query = shaped(config);
    if (!prepared || batch.length === 0) return original(query) as Promise<pg.QueryResult>;
    return new Promise((resolve, reject) => {
      const opened = new OpenedQuery(query, batch);
      (opened as unknown as { callback: (error: Error | null, result: pg.QueryResult) => void }).callback = (
        error,
        result,
      ) => (error ? reject(error) : resolve(result));
      original(opened);
    });
  };

  const run = async (config: QueryConfig): Promise<pg.QueryResult> => {
    const batch = held;
    held = [];
    try {
      return await send(config, batch);
    } catch (error) {
      // A held audit row that failed with the COMMIT left the transaction open and aborted; a failed statement
      // inside it is the caller's to roll back (Prisma does), a failed COMMIT is not.
      if (config.text === "COMMIT" && batch.length > 0) await (original({ text: "ROLLBACK" }) as Promise<unknown>);
      throw error;
    }
  };

  /** The batch of two: its audit row and this statement, committed together at their Sync. */
  const runEndingAtSync = async (config: QueryConfig, auditRow: HeldStatement): Promise<pg.QueryResult> => {
    held = [];
    endedAtSync = true;
    return send(config, [auditRow]);
  };

  const query = (...args: unknown[]): unknown => {
    const [config] = args;
    const promiseForm = args.length === 1 && typeof config === "object" && config !== null && !("submit" in config);
    if (!promiseForm) {
      if (args.length > 1 && typeof config === "object" && config !== null && "text" in config)
        return original(shaped(config as QueryConfig), ...args.slice(1));
      return original(...args);
    }
    const statement = config as QueryConfig;
    const ends = statement.text === "COMMIT" || statement.text === "ROLLBACK";
    if (statement.text === "BEGIN") inTransaction = true;
    else if (ends) inTransaction = false;
    // A BEGIN starts a new transaction, so it may follow too (the pool never hands out a client mid-transaction).
    if (endedAtSync && statement.text !== "BEGIN") {
      if (!ends)
        return Promise.reject(
          new Error(`A transaction that opened with its audit row ran a second statement: ${statement.text}`),
        );
      endedAtSync = false;
      return Promise.resolve(commandResult(statement.text));
    }
    // A BEGIN starts afresh: what a transaction that never ran a statement left held back was never sent.
    if (statement.text === "BEGIN") {
      held = [];
      endedAtSync = false;
    }
    /** The transaction's opening is still held: nothing of it has been sent. */
    const unsent = held[0] !== undefined && isOpening(held[0]);
    if (TRANSACTION_OPENING.test(statement.text) && (unsent || statement.text === "BEGIN")) {
      held.push(opening(statement.text));
      return Promise.resolve(commandResult(statement.text));
    }
    if (statement.text === "ROLLBACK") {
      // What is held is dropped; what was sent is rolled back, and a transaction that sent nothing has nothing to.
      held = [];
      if (unsent) return Promise.resolve(commandResult(statement.text));
    }
    // A transaction that sent nothing and holds no row: nothing to commit.
    if (unsent && statement.text === "COMMIT" && held.every(isOpening)) {
      held = [];
      return Promise.resolve(commandResult(statement.text));
    }
    // An audit row: answered now, sent with the next statement, one round trip less.
    const name = inTransaction && isAuditRow.test(statement.text) ? names.nameFor(statement.text) : undefined;
    if (name !== undefined) {
      held.push({ name, text: statement.text, values: statement.values ?? [] });
      return Promise.resolve(commandResult(statement.text, 1));
    }
    const [first, auditRow, ...more] = held;
    const batchOfTwo = first?.text === "BEGIN" && auditRow !== undefined && !isOpening(auditRow) && more.length === 0;
    if (batchOfTwo && !ends && isPrepared(auditRow)) return runEndingAtSync(statement, auditRow);
    return run(statement);
  };
  client.query = query as typeof client.query;
}
