// A stand-in for Prisma's native schema-engine binary, so the unmodified prisma CLI migrates offline.
//
// prisma.config.ts points PRISMA_SCHEMA_ENGINE_BINARY at tools/prisma-offline/schema-engine-shim, which runs this file. It speaks
// the binary's protocol (read from prisma/build/cli.js 7.10.1; tools/prisma-offline/README.md W1):
//   --version                                   prints "schema-engine-cli <hash>"
//   --datasource <json> cli <command>           one-shot database commands, errors as JSON lines on stderr
//   [--datamodels <file>]… --datasource <json>  newline-delimited JSON-RPC 2.0 on stdin/stdout until stdin closes
// and forwards the RPC methods to the wasm engine, emulating the ones the wasm build cannot do.

import { closeSync, existsSync, mkdirSync, openSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, dirname } from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import type {
  ApplyMigrationsInput,
  CreateMigrationInput,
  CreateMigrationOutput,
  DbExecuteParams,
  DevDiagnosticInput,
  DevDiagnosticOutput,
  DiagnoseMigrationHistoryInput,
  DiffParams,
  DiffResult,
  EnsureConnectionValidityParams,
  EvaluateDataLossInput,
  EvaluateDataLossOutput,
  IntrospectParams,
  MarkMigrationAppliedInput,
  MarkMigrationRolledBackInput,
  MigrationList,
  ResetInput,
  SchemaFilter,
  SchemaPushInput,
  SchemasContainer,
} from "@prisma/schema-engine-wasm/schema_engine_bg";
import { createDatabaseTarget } from "./adapters.ts";
import { databaseProvider, removeSqliteFile, sqliteFilePath } from "./database-url.ts";
import { databaseName, quoteIdentifier } from "../../src/db/postgres.ts";
import { isMissingDatabase, withDatabaseName, withPostgresClient } from "../../src/db/postgres-admin.ts";
import { engineVersion, openEngine, type OpenEngine } from "./engine.ts";
import { cleanEngineMessage, errorCode } from "../../src/db/migrations/errors.ts";
import {
  diagnoseHistory,
  isMissingMigrationsTable,
  SQLITE_MIGRATIONS_TABLE_DDL,
} from "../../src/db/migrations/history.ts";
import { lockfileContent } from "../../src/db/migrations/migration-list.ts";

interface Datasource {
  url?: string;
  /** Ignored: the SQLite shadow database is in memory; PostgreSQL's is a temporary database (adapters.ts). */
  shadowDatabaseUrl?: string;
}

const { values, positionals } = parseArgs({
  options: {
    version: { type: "boolean" },
    datamodels: { type: "string", multiple: true },
    datasource: { type: "string" },
    "enabled-preview-features": { type: "string" },
    "extension-types": { type: "string" },
  },
  allowPositionals: true,
});
const datasource = JSON.parse(values.datasource ?? "{}") as Datasource;

/**
 * `cli can-connect-to-database | create-database | drop-database`. The CLI answers P1003 ("database does not
 * exist") from can-connect by calling create-database, which is how `migrate dev`/`deploy` create a missing file.
 */
async function runOneShot(command: string): Promise<number> {
  try {
    const url = requireUrl();
    createDatabaseTarget(url, process.cwd()); // throws the clear UNSUPPORTED_DATABASE error for other schemes
    return databaseProvider(url) === "sqlite" ? sqliteOneShot(command, url) : await postgresOneShot(command, url);
  } catch (error) {
    return reportOneShotError(cleanEngineMessage(error), errorCode(error));
  }
}

function sqliteOneShot(command: string, url: string): number {
  const path = sqliteFilePath(url, process.cwd());
  switch (command) {
    case "can-connect-to-database":
      if (existsSync(path)) return 0;
      return reportOneShotError(`Database \`${basename(path)}\` does not exist at \`${path}\``, "P1003");
    case "create-database":
      mkdirSync(dirname(path), { recursive: true });
      closeSync(openSync(path, "a")); // an empty file is an empty SQLite database
      return 0;
    case "drop-database":
      removeSqliteFile(path);
      return 0;
    default:
      return reportOneShotError(`Unknown command: cli ${command}`);
  }
}

/** Creating or dropping the URL's database goes through the server's `postgres` maintenance database. */
async function postgresOneShot(command: string, url: string): Promise<number> {
  const name = quoteIdentifier(databaseName(url));
  const maintenance = withDatabaseName(url, "postgres");
  switch (command) {
    case "can-connect-to-database":
      try {
        await withPostgresClient(url, async () => {});
        return 0;
      } catch (error) {
        if (!isMissingDatabase(error)) throw error;
        return reportOneShotError(`Database \`${databaseName(url)}\` does not exist`, "P1003");
      }
    case "create-database":
      await withPostgresClient(maintenance, (client) => client.query(`CREATE DATABASE ${name}`));
      return 0;
    case "drop-database":
      await withPostgresClient(maintenance, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      return 0;
    default:
      return reportOneShotError(`Unknown command: cli ${command}`);
  }
}

/** The CLI skips stderr's first line and reads the error from a schema_engine::logger JSON line. */
function reportOneShotError(message: string, code?: string): number {
  const line = { level: "ERROR", target: "schema_engine::logger", fields: { error_code: code, message } };
  process.stderr.write(`${message}\n${JSON.stringify(line)}\n`);
  return 1;
}

function requireUrl(): string {
  if (datasource.url === undefined) {
    throw new Error("No datasource url: set datasource.url in prisma.config.ts (DATABASE_URL).");
  }
  return datasource.url;
}

async function readDatamodels(paths: string[]): Promise<[string, string][]> {
  return Promise.all(paths.map(async (path): Promise<[string, string]> => [path, await readFile(path, "utf-8")]));
}

interface RpcMessage {
  id?: number | string;
  method?: string;
  params?: unknown;
}

async function serveJsonRpc(datamodels: [string, string][]): Promise<void> {
  const session = new EngineSession(datamodels);
  const methods = rpcMethods(session);
  let printRequests = 0;
  const send = (message: object) => process.stdout.write(`${JSON.stringify({ jsonrpc: "2.0", ...message })}\n`);
  const print = (content: string) => send({ id: `print-${++printRequests}`, method: "print", params: { content } });

  const handle = async (line: string) => {
    let message: RpcMessage;
    try {
      message = JSON.parse(line) as RpcMessage;
    } catch {
      process.stderr.write(`${JSON.stringify({ level: "WARN", fields: { message: `Not JSON-RPC: ${line}` } })}\n`);
      return;
    }
    // Requests only; replies to our print requests carry no method and need nothing.
    if (message.method === undefined || message.id === undefined) return;
    // The CLI sends each method the params the engine defines for it; they are not validated again here.
    const method = methods[message.method] as ((params: unknown, print: Print) => Promise<unknown>) | undefined;
    try {
      if (method === undefined) throw new Error(`The offline schema engine shim does not implement ${message.method}.`);
      // The CLI only settles a request whose reply has a `result`; void methods answer {} like the native engine.
      send({ id: message.id, result: (await method(message.params, print)) ?? {} });
    } catch (error) {
      const text = cleanEngineMessage(error, session.errorRegistry());
      const data = { is_panic: false, message: text, error_code: errorCode(error), meta: {} };
      send({ id: message.id, error: { code: 4466, message: text, data } });
    }
  };

  // One request at a time, in order: the wasm methods take &mut self.
  let queue = Promise.resolve();
  const input = createInterface({ input: process.stdin, crlfDelay: Infinity });
  input.on("line", (line) => {
    if (line.trim() !== "") queue = queue.then(() => handle(line));
  });
  // The CLI stops the engine by closing stdin and, on POSIX, sending SIGTERM right after; either way the
  // connections are closed first so that SQLite is left clean (no leftover -journal from the exclusive lock).
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= queue.then(() => session.close()).finally(() => process.exit(0));
  };
  input.on("close", stop);
  process.on("SIGTERM", stop);
}

/** The engine, opened on first use and reopened after a SQLite reset deleted the file. */
class EngineSession {
  #opened: Promise<OpenEngine> | undefined;
  #current: OpenEngine | undefined;

  constructor(private readonly datamodels: [string, string][]) {}

  async get(): Promise<OpenEngine> {
    this.#opened ??= openEngine({
      databaseUrl: requireUrl(),
      baseDir: process.cwd(),
      datamodels: this.datamodels.length > 0 ? this.datamodels : undefined,
      // Engine log lines are the JSON the CLI reads from the native binary's stderr.
      log: (line) => process.stderr.write(line.endsWith("\n") ? line : `${line}\n`),
    });
    this.#current = await this.#opened;
    return this.#current;
  }

  errorRegistry() {
    return this.#current?.errorRegistry;
  }

  async close(): Promise<void> {
    const opened = this.#opened;
    this.#opened = undefined;
    this.#current = undefined;
    if (opened) await (await opened).close();
  }
}

type Print = (content: string) => void;
// `never` so that a method can declare the params type it expects (a function of any params type is assignable).
type RpcMethod = (params: never, print: Print) => Promise<unknown>;

function rpcMethods(session: EngineSession): Record<string, RpcMethod> {
  const engine = async () => (await session.get()).engine;
  return {
    applyMigrations: async (input: ApplyMigrationsInput) => (await engine()).applyMigrations(input),
    markMigrationRolledBack: async (input: MarkMigrationRolledBackInput) =>
      (await engine()).markMigrationRolledBack(input),
    schemaPush: async (input: SchemaPushInput) => (await engine()).schemaPush(input),
    dbExecute: async (input: DbExecuteParams) => (await engine()).dbExecute(input),
    introspect: async (input: IntrospectParams) => (await engine()).introspect(input),
    ensureConnectionValidity: async (input: EnsureConnectionValidityParams) =>
      (await engine()).ensureConnectionValidity(input),
    getDatabaseVersion: async () => (await engine()).version(),
    diagnoseMigrationHistory: async (input: DiagnoseMigrationHistoryInput) => diagnoseHistory(await engine(), input),

    devDiagnostic: async (input: DevDiagnosticInput): Promise<DevDiagnosticOutput> => {
      try {
        return await (await engine()).devDiagnostic(input);
      } catch (error) {
        // W9: SQLite without a history table throws P1014; that means nothing to reset, so migrate dev goes on
        // to create the table.
        if (isMissingMigrationsTable(error)) return { action: { tag: "createMigration" } };
        throw error;
      }
    },

    markMigrationApplied: async (input: MarkMigrationAppliedInput) => {
      const opened = await session.get();
      try {
        return await opened.engine.markMigrationApplied(input);
      } catch (error) {
        // W9 (SQLite only): baselining a database without history throws P1014; create the table as
        // applyMigrations would.
        if (!isMissingMigrationsTable(error)) throw error;
        const datasourceType = { tag: "url" as const, url: requireUrl() };
        await opened.engine.dbExecute({ datasourceType, script: SQLITE_MIGRATIONS_TABLE_DDL });
        return opened.engine.markMigrationApplied(input);
      }
    },

    // Native `migrate diff` prints through a JSON-RPC request to the CLI (which also captures it for --output).
    diff: async (params: DiffParams, print: Print): Promise<DiffResult> => {
      const result = await (await engine()).diff(params);
      if (result.stdout !== null) print(result.stdout);
      return { exitCode: result.exitCode, stdout: null };
    },

    // The wasm build cannot run evaluateDataLoss/createMigration ("shadow DB must be provided through an external
    // factory", tools/prisma-offline/README.md W11); both are a diff from the migration history to the schema,
    // replayed on the adapter's shadow.
    // Consequence: no data-loss warnings (nor their prompt) in `migrate dev`; review destructive SQL yourself.
    evaluateDataLoss: async (input: EvaluateDataLossInput): Promise<EvaluateDataLossOutput> => {
      const { exitCode } = await diffHistoryToSchema(await session.get(), input);
      return { migrationSteps: exitCode === 2 ? 1 : 0, warnings: [], unexecutableSteps: [] };
    },

    createMigration: async (input: CreateMigrationInput): Promise<CreateMigrationOutput> => {
      const opened = await session.get();
      const { exitCode, stdout } = await diffHistoryToSchema(opened, input);
      const timestamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14); // UTC YYYYMMDDHHMMSS
      return {
        connectorType: opened.provider,
        generatedMigrationName: `${timestamp}_${input.migrationName}`,
        // An empty diff makes no migration unless it is a draft (--create-only), as in the native engine.
        migrationScript: exitCode === 2 || input.draft ? (stdout ?? "") : null,
        extension: "sql",
      };
    },

    reset: async (input: ResetInput) => {
      if (databaseProvider(requireUrl()) !== "sqlite") return (await engine()).reset(input);
      // W7: the wasm reset only deletes rows on SQLite; drop the file like the native engine does.
      await session.close();
      removeSqliteFile(sqliteFilePath(requireUrl(), process.cwd()));
      return {};
    },
  } satisfies Record<string, RpcMethod>;
}

function diffHistoryToSchema(
  opened: OpenEngine,
  input: { migrationsList: MigrationList; schema: SchemasContainer; filters: SchemaFilter },
): Promise<DiffResult> {
  const { migrationsList } = input;
  // W10: replaying a history needs the lockfile, which the first migration has not written yet.
  const content = migrationsList.lockfile.content ?? lockfileContent(opened.provider);
  const lockfile = { ...migrationsList.lockfile, content };
  return opened.engine.diff({
    from: { tag: "migrations", ...migrationsList, lockfile },
    to: { tag: "schemaDatamodel", files: input.schema.files },
    script: true,
    exitCode: true,
    filters: input.filters,
  });
}

// Last, so that the classes and constants above are initialized.
if (values.version) {
  console.log(`schema-engine-cli ${await engineVersion()}`);
  process.exit(0);
} else if (positionals[0] === "cli") {
  process.exit(await runOneShot(positionals[1] ?? ""));
} else {
  await serveJsonRpc(await readDatamodels(values.datamodels ?? []));
}
