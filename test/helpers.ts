// Shared test setup: a real app on a fresh, migrated SQLite file per test file, called through `app.fetch`
// (real HTTP semantics, no port), with every SQL statement recorded.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import BetterSqlite3 from "better-sqlite3";
import { print } from "graphql";
import { expect } from "vitest";
import { openDatabase } from "../src/db.ts";
import type { PrismaClient } from "../src/generated/prisma/client.ts";
import { createLogger, type Logger } from "../src/logger.ts";
import type { ObservedStatement } from "../src/sql-tap.ts";
import { createAuthenticator } from "../src/auth.ts";
import { loadConfig, SCOPES } from "../src/config.ts";
import { createApp, type App } from "../src/yoga.ts";

export interface GraphQLResponse<TData> {
  status: number;
  data?: TData | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

export interface TestServer {
  app: App;
  prisma: PrismaClient;
  /** The SQLite file this server uses. */
  file: string;
  /** Every statement Prisma sent, in order; clear it with `sql.length = 0`. */
  sql: ObservedStatement[];
  /** A separate raw connection, to check what really is in the database. */
  raw: BetterSqlite3.Database;
  /** Sends the document with the all-scopes test key, or with `token` (null: no Authorization header). */
  execute<TData, TVariables>(
    document: TypedDocumentNode<TData, TVariables>,
    variables: TVariables,
    options?: RequestOptions,
  ): Promise<GraphQLResponse<TData>>;
  /** Sends any body, for inputs the typed documents cannot express. */
  post(body: unknown, options?: RequestOptions): Promise<GraphQLResponse<unknown>>;
  /** Rows of the delete audit, oldest first. */
  audit(): { subject: string; operation: string; idCount: number; dryRun: number }[];
  /** Rows of the Thing table, ordered by id. */
  things(): { id: number; text: string }[];
  /** Inserts Things straight into the database (not through the API) and returns their ids. */
  seed(texts: readonly string[]): number[];
  /** Opens a GraphQL subscription over SSE, as a browser would. */
  subscribe<TData>(document: TypedDocumentNode<TData, Record<string, never>>): Promise<Subscription<TData>>;
  close(): Promise<void>;
}

export interface RequestOptions {
  /** Bearer token to send; null sends no Authorization header. Default: TEST_API_KEY. */
  token?: string | null;
}

/** The API key every test request carries unless it says otherwise: all scopes, subject "test". */
export const TEST_API_KEY = "test-key-with-every-scope";

/** Keys with one scope each, for authorization tests; the key is the scope's name spelled out. */
export const SCOPED_API_KEYS = {
  read: { key: "test-key-things-read", sub: "reader", scopes: ["things:read"] },
  write: { key: "test-key-things-write", sub: "writer", scopes: ["things:write"] },
  delete: { key: "test-key-things-delete", sub: "deleter", scopes: ["things:delete"] },
} as const;

export interface TestServerOptions {
  /** MAX_DELETE_IDS for this server. */
  maxDeleteIds?: number;
  /** Extra environment for loadConfig (e.g. JWT_SECRET, READS_REQUIRE_AUTH). */
  env?: Record<string, string>;
  /** Where the app logs; silent by default. */
  logger?: Logger;
  /** Share another test server's SQLite file, as a second instance would; by default a fresh file. */
  databaseFile?: string;
}

export interface Subscription<TData> {
  /** The next event, or a rejection after `timeoutMs`. */
  next(timeoutMs?: number): Promise<GraphQLResponse<TData>>;
  close(): void;
}

/** Reads `event: next` messages from a Yoga SSE response. */
async function openSubscription<TData>(response: Response, abort: AbortController): Promise<Subscription<TData>> {
  if (!response.ok || !response.body) throw new Error(`subscription failed: HTTP ${response.status}`);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  // One read at a time: a `next` that timed out leaves its read pending for the following `next` to await.
  let pending: Promise<GraphQLResponse<TData>> | undefined;
  const readEvent = async (): Promise<GraphQLResponse<TData>> => {
    for (;;) {
      const end = buffer.indexOf("\n\n");
      if (end >= 0) {
        const message = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = message.split("\n").find((line) => line.startsWith("data:"));
        if (message.startsWith("event: next") && data) return { status: 200, ...JSON.parse(data.slice(5)) };
        continue;
      }
      const { value, done } = await reader.read();
      if (done) throw new Error("subscription ended");
      buffer += value;
    }
  };
  return {
    next: (timeoutMs = 5000) =>
      Promise.race([
        (pending ??= readEvent().finally(() => (pending = undefined))),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error("no event")), timeoutMs).unref()),
      ]),
    close: () => abort.abort(),
  };
}

export async function startTestServer({
  maxDeleteIds = 100_000,
  env = {},
  logger = createLogger("silent"),
  databaseFile,
}: TestServerOptions = {}): Promise<TestServer> {
  const file = databaseFile ?? join(mkdtempSync(join(tmpdir(), "things-test-")), "things.db");
  const sql: ObservedStatement[] = [];
  const database = await openDatabase({
    databaseUrl: `file:${file}`,
    sqliteSynchronous: "NORMAL",
    onSql: (statement) => sql.push(statement),
  });
  const config = loadConfig({
    API_KEYS: JSON.stringify([
      { key: TEST_API_KEY, sub: "test", scopes: [...SCOPES] },
      ...Object.values(SCOPED_API_KEYS),
    ]),
    MAX_DELETE_IDS: String(maxDeleteIds),
    ...env,
  });
  const app = createApp({
    prisma: database.prisma,
    logger,
    config,
    authenticate: await createAuthenticator(config.auth),
  });
  const raw = new BetterSqlite3(file);

  const post = async (body: unknown, { token = TEST_API_KEY }: RequestOptions = {}): Promise<GraphQLResponse<unknown>> => {
    const response = await app.fetch("http://yoga/graphql", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/graphql-response+json",
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      },
      body: JSON.stringify(body),
    });
    return { status: response.status, ...((await response.json()) as Omit<GraphQLResponse<unknown>, "status">) };
  };

  async function execute<TData, TVariables>(
    document: TypedDocumentNode<TData, TVariables>,
    variables: TVariables,
    options?: RequestOptions,
  ): Promise<GraphQLResponse<TData>> {
    // The server's answer is what the typed document promises; the tests check exactly that.
    return (await post({ query: print(document), variables }, options)) as GraphQLResponse<TData>;
  }

  const insert = raw.prepare("INSERT INTO Thing (text) VALUES (?) RETURNING id");
  const seed = raw.transaction((texts: readonly string[]) =>
    texts.map((text) => (insert.get(text) as { id: number }).id),
  );

  async function subscribe<TData>(
    document: TypedDocumentNode<TData, Record<string, never>>,
  ): Promise<Subscription<TData>> {
    const abort = new AbortController();
    const response = await app.fetch("http://yoga/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream", authorization: `Bearer ${TEST_API_KEY}` },
      body: JSON.stringify({ query: print(document) }),
      signal: abort.signal,
    });
    return openSubscription<TData>(response, abort);
  }

  return {
    app,
    prisma: database.prisma,
    file,
    sql,
    raw,
    execute,
    post,
    seed: (texts) => seed(texts),
    audit: () =>
      raw.prepare("SELECT subject, operation, idCount, dryRun FROM DeleteAudit ORDER BY id").all() as ReturnType<
        TestServer["audit"]
      >,
    subscribe,
    things: () => raw.prepare("SELECT id, text FROM Thing ORDER BY id").all() as { id: number; text: string }[],
    close: async () => {
      raw.close();
      await database.close();
      if (!databaseFile) rmSync(dirname(file), { recursive: true, force: true });
    },
  };
}

/** The audit row every committed delete call writes in its transaction. */
export const AUDIT_INSERT = expect.stringMatching(/^INSERT INTO .*DeleteAudit/);

/** Only the statements that touch data: transaction boundaries and pragmas left out. */
export function dataStatements(sql: readonly ObservedStatement[]): string[] {
  return sql.map((statement) => statement.sql).filter((text) => /^\s*(SELECT|INSERT|UPDATE|DELETE)\b/i.test(text));
}
