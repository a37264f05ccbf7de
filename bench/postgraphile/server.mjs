// PostGraphile 5 as a PostgreSQL user deploys it for bulk deletes, the benchmark's peer: the amber preset over the
// database's public schema, where bench/postgraphile-peer.ts has created `delete_things(ids int[])` and
// `delete_all_things()`, plpgsql functions returning their row count, which PostGraphile exposes as the mutations
// `deleteThings` and `deleteAllThings`. Plain JavaScript run by a Node ≥ 22 (PostGraphile's own requirement), from
// this directory's own install, so neither belongs to the product's dependencies or type-check.
import { createServer } from "node:http";
import process from "node:process";
import { makePgService } from "postgraphile/adaptors/pg";
import { grafserv } from "postgraphile/grafserv/node";
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { postgraphile } from "postgraphile";

/** The server's default DATABASE_POOL_SIZE, so both hold as many connections at c=16. */
const POOL_SIZE = 10;
/** src/config.ts's MAX_BODY_BYTES default. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** Answers 200 once the schema is built and the server listens, as the other targets' /ready. */
const READY_PATH = "/ready";

const pgl = postgraphile({
  extends: [PostGraphileAmberPreset],
  pgServices: [
    makePgService({ connectionString: process.env.DATABASE_URL, schemas: ["public"], poolConfig: { max: POOL_SIZE } }),
  ],
  // As deployed: no GraphiQL, no schema watching, no EXPLAIN in the answers. The body limit (100 kB by default)
  // raised to the server's MAX_BODY_BYTES default, so the same 100,000-id deletes reach both.
  grafserv: { graphiql: false, watch: false, maxRequestLength: MAX_BODY_BYTES },
  grafast: { explain: false },
});
await pgl.getSchema();
// createHandler rather than addTo: its `next` lets the readiness route live beside it (addTo's would answer 404 to
// it as well); addTo only adds websockets, which nothing here uses.
const graphql = pgl.createServ(grafserv).createHandler();
const notFound = (res) => res.writeHead(404).end();
const server = createServer((req, res) => {
  if (req.method === "GET" && req.url === READY_PATH) return void res.writeHead(200).end();
  graphql(req, res, () => notFound(res));
});
server.listen(Number(process.env.PORT), process.env.HOST ?? "127.0.0.1");
process.once("SIGTERM", () => {
  server.close();
  server.closeAllConnections();
  void Promise.resolve(pgl.release()).finally(() => process.exit(0));
});
