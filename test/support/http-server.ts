// A real server on a loopback port, for clients that speak HTTP themselves (a browser, Apollo Client, graphql-sse,
// the graphql-http audits) and so cannot use `app.fetch`. Deliberately thin over createApp and openDatabase: if
// their signatures change, only this file follows.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { openDatabase } from "../../src/db/database.ts";
import { createLogger } from "../../src/logger.ts";
import { createApp } from "../../src/yoga.ts";
import { TEST_API_KEY, testAppSettings } from "./server.ts";

export interface HttpTestServer {
  /** The GraphQL endpoint, e.g. http://127.0.0.1:43123/graphql. */
  url: string;
  /** Rows of the Thing table, ordered by id, read on a separate connection. */
  things(): { id: number; text: string }[];
  /** Inserts Things straight into the database and returns their ids. */
  seed(texts: readonly string[]): number[];
  close(): Promise<void>;
}

/** `env`: extra environment for loadConfig, e.g. CORS_ORIGINS. */
export async function startHttpServer(env: Record<string, string> = {}): Promise<HttpTestServer> {
  const directory = mkdtempSync(join(tmpdir(), "things-http-"));
  const file = join(directory, "things.db");
  const database = await openDatabase({ databaseUrl: `file:${file}`, sqliteSynchronous: "NORMAL" });
  const app = createApp({
    database,
    logger: createLogger("silent"),
    ...(await testAppSettings(env)),
    // GraphiQL starts with the test key, as `npm start` pre-fills the development key.
    graphiqlHeaders: { authorization: `Bearer ${TEST_API_KEY}` },
  });
  const server = createServer(app);
  // Port 0: the OS picks a free port, so parallel test files never collide.
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const raw = new BetterSqlite3(file);
  const insert = raw.prepare("INSERT INTO Thing (text) VALUES (?) RETURNING id");
  const seed = raw.transaction((texts: readonly string[]) =>
    texts.map((text) => (insert.get(text) as { id: number }).id),
  );

  return {
    url: `http://127.0.0.1:${port}${app.graphqlEndpoint}`,
    things: () => raw.prepare("SELECT id, text FROM Thing ORDER BY id").all() as { id: number; text: string }[],
    seed: (texts) => seed(texts),
    close: async () => {
      // Open SSE streams would keep server.close() waiting forever.
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      raw.close();
      await database.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
