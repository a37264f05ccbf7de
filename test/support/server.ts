// Shared test setup: a real app on a fresh, migrated database per test file (SQLite, or PostgreSQL with
// TEST_DATABASE=postgres; see test/support/databases.ts), called through `app.fetch` (real HTTP semantics, no port), with
// every SQL statement recorded. startHttpServer puts the same app on a loopback port for clients that need one.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print } from "graphql";
import { expect } from "vitest";
import { createAuthenticator } from "../../src/auth/tokens.ts";
import { loadConfig, SCOPES } from "../../src/config.ts";
import type { DatabaseProvider } from "../../src/config.ts";
import { openDatabase } from "../../src/db/database.ts";
import { ThingTrash } from "../../src/db/trash.ts";
import type { PrismaClient } from "../../src/generated/prisma/client.ts";
import type { DeleteRateLimit } from "../../src/delete-rate-limit.ts";
import { createLogger, type Logger } from "../../src/logger.ts";
import { databaseReadiness } from "../../src/http/readiness.ts";
import type { ObservedStatement, SqlListener } from "../../src/db/sql-tap.ts";
import type { Tracing } from "../../src/tracing.ts";
import { createApp, type App } from "../../src/yoga.ts";
import { createScratchDatabase, openRawDatabase, type AuditRow, type RawDatabase, type Thing } from "./databases.ts";

export { expectedSql, testProvider } from "./databases.ts";

export interface GraphQLResponse<TData> {
  status: number;
  data?: TData | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

export interface TestServer {
  app: App;
  prisma: PrismaClient;
  provider: DatabaseProvider;
  /** The app's trash operations, on its clock: what the background purge (src/trash-purge.ts) is given. */
  trash: ThingTrash;
  /** The database this server uses; pass it to another startTestServer to share it. */
  databaseUrl: string;
  /** Every statement Prisma sent, in order; clear it with `sql.length = 0`. */
  sql: ObservedStatement[];
  execute<TData, TVariables>(
    document: TypedDocumentNode<TData, TVariables>,
    variables: TVariables,
    options?: RequestOptions,
  ): Promise<GraphQLResponse<TData>>;
  /** Sends any body, for inputs the typed documents cannot express. */
  post(body: unknown, options?: RequestOptions): Promise<GraphQLResponse<unknown>>;
  /** Rows of the delete audit, oldest first. */
  audit(): Promise<AuditRow[]>;
  /** Rows of the Thing table, ordered by id, read on a separate connection. */
  things(): Promise<Thing[]>;
  /** Inserts Things straight into the database (not through the API) and returns their ids. */
  seed(texts: readonly string[]): Promise<number[]>;
  /** Rows of the trash, ordered by id, read on a separate connection. */
  trashed: RawDatabase["trashed"];
  /** Deletes every Thing, live or trashed, around the app. */
  clear(): Promise<void>;
  /** Makes the database refuse to delete one row (a trigger); returns the undo. */
  refuseDeleteOf: RawDatabase["refuseDeleteOf"];
  /** Makes the database refuse to insert a row with this text (a trigger); returns the undo. */
  refuseInsertOf: RawDatabase["refuseInsertOf"];
  /** The raw connection, for what the methods above do not cover. */
  raw: RawDatabase;
  /** Opens a GraphQL subscription over SSE, as a browser would. */
  subscribe<TData>(
    document: TypedDocumentNode<TData, Record<string, never>>,
    options?: SubscribeOptions,
  ): Promise<Subscription<TData>>;
  close(): Promise<void>;
}

/** A TestServer also listening on a loopback port. */
export interface HttpTestServer extends TestServer {
  /** The GraphQL endpoint, e.g. http://127.0.0.1:43123/graphql. */
  url: string;
}

export interface RequestOptions {
  /** Bearer token to send; null sends no Authorization header. Default: TEST_API_KEY. */
  token?: string | null;
}

/** The API key every test request carries unless it says otherwise: all scopes, subject "test". */
export const TEST_API_KEY = "test-key-with-every-scope";

/** Keys with one scope each, for authorization tests. */
export const SCOPED_API_KEYS = {
  read: { key: "test-key-things-read", sub: "reader", scopes: ["things:read"] },
  write: { key: "test-key-things-write", sub: "writer", scopes: ["things:write"] },
  delete: { key: "test-key-things-delete", sub: "deleter", scopes: ["things:delete"] },
} as const;

/**
 * Every scope but things:any-document, subject "test" like TEST_API_KEY: what a deployed client (the examples) has,
 * so on a TRUSTED_DOCUMENTS_ONLY=true server it runs trusted documents only.
 */
export const TRUSTED_CLIENT_API_KEY = "test-key-for-trusted-documents-only";

/** API_KEYS for every server a test starts, in process or as a separate process. */
export const TEST_API_KEYS_ENV = JSON.stringify([
  { key: TEST_API_KEY, sub: "test", scopes: [...SCOPES] },
  { key: TRUSTED_CLIENT_API_KEY, sub: "test", scopes: SCOPES.filter((scope) => scope !== "things:any-document") },
  ...Object.values(SCOPED_API_KEYS),
]);

/**
 * The configuration and authenticator every test app gets: the test API keys and MAX_DELETE_IDS, plus `env`.
 * For apps a test builds itself with createApp.
 */
export async function testAppSettings(env: Record<string, string> = {}) {
  const config = loadConfig({ API_KEYS: TEST_API_KEYS_ENV, ...env });
  return { config, authenticate: await createAuthenticator(config.auth) };
}

const authorization = (token: string | null): Record<string, string> =>
  token === null ? {} : { authorization: `Bearer ${token}` };

export interface TestServerOptions {
  /** MAX_DELETE_IDS for this server. */
  maxDeleteIds?: number;
  /** Extra environment for loadConfig (e.g. JWT_SECRET, READS_REQUIRE_AUTH). */
  env?: Record<string, string>;
  /** Where the app logs; silent by default. */
  logger?: Logger;
  /** Share another test server's database (its databaseUrl), as a second instance would; by default a fresh one. */
  databaseUrl?: string;
  /** Headers GraphiQL starts with, as `npm start` pre-fills the development key. */
  graphiqlHeaders?: Record<string, string>;
  /** The app's clock (trash expiry); the system clock by default. */
  now?: () => Date;
  /** Traces the app (its GraphQL plugin) and, with startHttpServer, each HTTP request, as src/server.ts does. */
  tracing?: Tracing;
  /** The app's DELETE_RATE_LIMIT counter (e.g. over Redis); the test closes it. By default, from env, in process. */
  deleteRateLimit?: DeleteRateLimit;
  /** Called whenever the app authenticates a request, e.g. to count how often it does. */
  onAuthenticate?: (request: Request) => void;
  /** Called with each statement as it is sent, before it runs: to see what else ran in between. */
  onSql?: SqlListener;
}

export interface Subscription<TData> {
  /** The next event, or a rejection after `timeoutMs`: a hang guard for a busy machine, not a speed check. */
  next(timeoutMs?: number): Promise<GraphQLResponse<TData>>;
  close(): void;
}

/** Reads `event: next` messages from a Yoga SSE response. */
async function openSubscription<TData>(response: Response, abort: AbortController): Promise<Subscription<TData>> {
  if (!response.ok || !response.body) {
    throw new Error(`subscription failed: HTTP ${response.status} ${await response.text()}`);
  }
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
        if (message.startsWith("event: next") && data) {
          return { status: 200, ...(JSON.parse(data.slice(5)) as Omit<GraphQLResponse<TData>, "status">) };
        }
        continue;
      }
      const { value, done } = await reader.read();
      if (done) throw new Error("subscription ended");
      buffer += value;
    }
  };
  return {
    next: (timeoutMs = 20_000) =>
      Promise.race([
        (pending ??= readEvent().finally(() => (pending = undefined))),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error("no event")), timeoutMs).unref()),
      ]),
    close: () => abort.abort(),
  };
}

/** Sends a typed operation to a server over real HTTP (a separate process, a port). */
export async function executeOverHttp<TData, TVariables>(
  url: string,
  document: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
  { token = TEST_API_KEY }: RequestOptions = {},
): Promise<GraphQLResponse<TData>> {
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/graphql-response+json",
      ...authorization(token),
    },
    body: JSON.stringify({ query: print(document), variables }),
  });
  return { status: response.status, ...((await response.json()) as Omit<GraphQLResponse<TData>, "status">) };
}

export interface SubscribeOptions {
  /** GET, with the document in the URL, is how GraphiQL subscribes; POST with a JSON body by default. */
  method?: "GET" | "POST";
  /** Added to the request's headers, e.g. the CSRF header a GET needs. */
  headers?: Record<string, string>;
}

/** Opens a GraphQL subscription over SSE at `url`, as a browser would; `fetchImpl` is an app's or the real fetch. */
export async function subscribe<TData>(
  fetchImpl: (url: string, init: RequestInit) => Response | Promise<Response>,
  url: string,
  document: TypedDocumentNode<TData, Record<string, never>>,
  { method = "POST", headers = {} }: SubscribeOptions = {},
): Promise<Subscription<TData>> {
  const abort = new AbortController();
  const query = print(document);
  const init = {
    headers: { accept: "text/event-stream", ...authorization(TEST_API_KEY), ...headers },
    signal: abort.signal,
  };
  const response = await (method === "GET"
    ? fetchImpl(`${url}?query=${encodeURIComponent(query)}`, init)
    : fetchImpl(url, {
        ...init,
        method,
        headers: { ...init.headers, "content-type": "application/json" },
        body: JSON.stringify({ query }),
      }));
  return openSubscription<TData>(response, abort);
}

export async function startTestServer({
  maxDeleteIds = 100_000,
  env = {},
  logger = createLogger("silent"),
  databaseUrl: sharedUrl,
  graphiqlHeaders = authorization(TEST_API_KEY),
  now = () => new Date(),
  tracing,
  deleteRateLimit,
  onAuthenticate,
  onSql,
}: TestServerOptions = {}): Promise<TestServer> {
  const scratch = sharedUrl === undefined ? await createScratchDatabase() : undefined;
  const databaseUrl = sharedUrl ?? scratch!.url;
  const sql: ObservedStatement[] = [];
  const database = await openDatabase({
    databaseUrl,
    sqliteSynchronous: "NORMAL",
    // Small: test files run in parallel, each with its own pool on the one test server.
    postgres: { poolSize: 4 },
    onSql: (statement) => {
      sql.push(statement);
      onSql?.(statement);
    },
  });
  const trash = new ThingTrash(database.prisma, database.dialect, now);
  const settings = await testAppSettings({ MAX_DELETE_IDS: String(maxDeleteIds), ...env });
  const app = createApp({
    database,
    logger,
    // GraphiQL starts with the test key unless a test says otherwise, as `npm start` pre-fills the development key.
    graphiqlHeaders,
    config: settings.config,
    authenticate: (request) => {
      onAuthenticate?.(request);
      return settings.authenticate(request);
    },
    readiness: databaseReadiness(database),
    now,
    trash,
    tracing: tracing?.graphqlPlugin,
    deleteRateLimit,
  });
  const raw = await openRawDatabase(databaseUrl);

  const post = async (body: unknown, { token = TEST_API_KEY }: RequestOptions = {}) => {
    const response = await app.fetch("http://yoga/graphql", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/graphql-response+json",
        ...authorization(token),
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

  return {
    app,
    prisma: database.prisma,
    provider: database.provider,
    trash,
    databaseUrl,
    sql,
    raw,
    execute,
    post,
    seed: (texts) => raw.seed(texts),
    audit: () => raw.audit(),
    trashed: () => raw.trashed(),
    clear: () => raw.clear(),
    refuseDeleteOf: (row) => raw.refuseDeleteOf(row),
    refuseInsertOf: (row) => raw.refuseInsertOf(row),
    subscribe: (document, options) =>
      subscribe((url, init) => app.fetch(url, init), "http://yoga/graphql", document, options),
    things: () => raw.things(),
    close: async () => {
      await raw.close();
      await database.close();
      await scratch?.drop();
    },
  };
}

/**
 * startTestServer's app on a loopback port, for clients that speak HTTP themselves (a browser, Apollo Client,
 * graphql-sse, the graphql-http audits) and so cannot use `app.fetch`.
 */
export async function startHttpServer(options: TestServerOptions = {}): Promise<HttpTestServer> {
  const testServer = await startTestServer(options);
  // requestListener is what calling the app does, typed as the void listener Node expects: it settles its own promise.
  const { app } = testServer;
  const server = createServer(options.tracing ? options.tracing.traceRequests(app) : app.requestListener);
  // Port 0: the OS picks a free port, so parallel test files never collide.
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    ...testServer,
    url: `http://127.0.0.1:${port}${testServer.app.graphqlEndpoint}`,
    close: async () => {
      // Open SSE streams would keep server.close() waiting forever.
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      await testServer.close();
    },
  };
}

/** Two apps with their own connections to one fresh database, as two server processes would have. */
export async function startTestServerPair(
  options: Omit<TestServerOptions, "databaseUrl"> = {},
): Promise<[TestServer, TestServer]> {
  const first = await startTestServer(options);
  return [first, await startTestServer({ ...options, databaseUrl: first.databaseUrl })];
}

/** Only the statements that touch data: transaction boundaries and pragmas left out. */
export function dataStatements(sql: readonly ObservedStatement[]): string[] {
  return sql.map((statement) => statement.sql).filter((text) => /^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b/i.test(text));
}

/** The audit row every committed delete call writes in its transaction. */
export const AUDIT_INSERT: unknown = expect.stringMatching(/^INSERT INTO .*DeleteAudit/);
