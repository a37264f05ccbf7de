// The compiled server's resident memory as an operator sees it: a second after /ready with GraphiQL off and on,
// after one GraphiQL page load, and after a mixed load of requests, each on a fresh server process (the peak
// during one very large delete is bench/memory.ts).
import { request } from "node:http";
import { runMixedLoad, type MixedLoadResult } from "./mixed-load.ts";
import type { Plan } from "./plan.ts";
import { progress } from "./progress.ts";
import type { ServerProcess } from "./server-process.ts";
import type { BenchDatabase } from "./target.ts";

/** How long the process is left alone after /ready before its idle RSS is read: start-up's last timers and GC. */
const SETTLE_MS = 1_000;
const MIB = 1024;

export interface FootprintResult {
  /** VmRSS a second after /ready, GRAPHIQL=false, MiB. */
  idleMiB: number;
  /** The mixed load on that same process, then its VmRSS and VmHWM, MiB. */
  mixed: MixedLoadResult & { rssAfterMiB: number; peakMiB: number };
  graphiql: {
    /** VmRSS a second after /ready, GRAPHIQL=true, MiB. */
    idleMiB: number;
    /** VmRSS a second after the page's last byte, and VmHWM, MiB. */
    afterPageMiB: number;
    peakMiB: number;
    /** The page as sent (compressed), and in which encoding. */
    pageBytes: number;
    encoding: string;
    pageMs: number;
  };
}

/** A fresh server with these settings, its client's database, stopped by the caller's cleanup. */
export type OpenServer = (env: Record<string, string>) => Promise<{ server: ServerProcess; db: BenchDatabase }>;

const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

/** GET /graphql as a browser opens it; node:http does not decompress, so the bytes counted are those sent. */
function loadGraphiQL(url: string): Promise<{ bytes: number; encoding: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(url, { headers: { accept: "text/html", "accept-encoding": "br, gzip" } }, (res) => {
      let bytes = 0;
      res.on("data", (chunk: Buffer) => (bytes += chunk.length));
      res.on("error", reject);
      res.on("end", () => {
        const encoding = String(res.headers["content-encoding"] ?? "identity");
        if (res.statusCode !== 200) reject(new Error(`GraphiQL page: HTTP ${res.statusCode}`));
        else resolve({ bytes, encoding, ms: performance.now() - started });
      });
    });
    req.on("error", reject);
    req.end();
  });
}

const mib = (kib: number) => kib / MIB;

export async function measureFootprint(plan: Plan, open: OpenServer): Promise<FootprintResult> {
  const plain = await open({ GRAPHIQL: "false" });
  await settle();
  const idleMiB = mib(plain.server.memory().rssKiB);
  const load = await runMixedLoad(plain.server.url, plain.db, plan.mixedRequests, plan.mixedConnections);
  const afterLoad = plain.server.memory();
  await plain.server.stop();

  const withGraphiQL = await open({ GRAPHIQL: "true" });
  await settle();
  const graphiqlIdleMiB = mib(withGraphiQL.server.memory().rssKiB);
  const page = await loadGraphiQL(withGraphiQL.server.url);
  await settle();
  const afterPage = withGraphiQL.server.memory();
  await withGraphiQL.server.stop();

  const result: FootprintResult = {
    idleMiB,
    mixed: { ...load, rssAfterMiB: mib(afterLoad.rssKiB), peakMiB: mib(afterLoad.peakKiB) },
    graphiql: {
      idleMiB: graphiqlIdleMiB,
      afterPageMiB: mib(afterPage.rssKiB),
      peakMiB: mib(afterPage.peakKiB),
      pageBytes: page.bytes,
      encoding: page.encoding,
      pageMs: page.ms,
    },
  };
  progress(
    `footprint: idle ${idleMiB.toFixed(0)} MiB, after ${load.requests} requests ${result.mixed.rssAfterMiB.toFixed(0)}; ` +
      `GraphiQL on ${graphiqlIdleMiB.toFixed(0)}, after the page ${result.graphiql.afterPageMiB.toFixed(0)} MiB ` +
      `(${page.bytes} bytes ${page.encoding})`,
  );
  return result;
}
