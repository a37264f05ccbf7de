// `npm run bench [-- --quick]`: the real server over HTTP on loopback against the raw driver, for every target
// database. Exits non-zero only when a delete removed the wrong rows (or the run could not complete), never
// because of a timing.
import { Cleanup } from "./cleanup.ts";
import { GraphQLClient } from "./graphql-client.ts";
import { measureLatency } from "./latency.ts";
import { measurePeakMemory } from "./memory.ts";
import { parsePlan, type Plan } from "./plan.ts";
import { progress } from "./progress.ts";
import { formatReport, machineInfo, writeResults, type TargetResults } from "./report.ts";
import { startServer } from "./server-process.ts";
import { TARGETS, type TargetFactory } from "./target.ts";
import { measureThroughput } from "./throughput.ts";
import { VerificationError } from "./verify.ts";

/** A server on a fresh database of `factory`'s kind, with a client and a direct connection for seeding and checks. */
async function openServer(factory: TargetFactory, cleanup: Cleanup, env: Record<string, string> = {}) {
  const target = factory(cleanup.tempDir("things-bench-"));
  const server = await startServer({ env: { ...target.serverEnv, ...env } });
  cleanup.defer(() => server.stop());
  const client = new GraphQLClient(server.url);
  cleanup.defer(() => client.close());
  const db = await target.openServerDatabase();
  cleanup.defer(() => db.close());
  return { target, server, client, db };
}

async function benchTarget(factory: TargetFactory, plan: Plan, cleanup: Cleanup): Promise<TargetResults> {
  const { target, server, client, db } = await openServer(factory, cleanup);
  progress(`${target.name}: server pid ${server.pid} on ${server.url}`);
  const raws = await target.openRawDatabases();
  for (const raw of raws) cleanup.defer(() => raw.close());

  const latency = await measureLatency(plan, client, db, raws);
  const throughput = [];
  for (const concurrency of plan.throughput.concurrencies) {
    throughput.push(await measureThroughput(server.url, client, db, plan.throughput, concurrency));
  }
  // Free its CPU and memory before the memory run (the deferred stop is then a no-op).
  await server.stop();

  // A fresh process, so its peak RSS (VmHWM) reflects this delete and not the runs above.
  // A million ids as JSON strings are ~12 MB of request body, past the default MAX_BODY_BYTES.
  const big = await openServer(factory, cleanup, {
    MAX_DELETE_IDS: String(plan.memoryRows),
    MAX_BODY_BYTES: String(plan.memoryRows * 16),
  });
  const memory = await measurePeakMemory(big.server, big.client, big.db, plan.memoryRows);
  await big.server.stop();
  return { target: target.name, latency, throughput, memory };
}

async function main(): Promise<number> {
  const plan = parsePlan(process.argv.slice(2));
  const cleanup = new Cleanup();
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted = true;
    progress(`${signal}: stopping the server and removing temp files`);
    void cleanup.run().finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  const startedAt = new Date().toISOString();
  const machine = machineInfo();
  const started = performance.now();
  try {
    const targets: TargetResults[] = [];
    for (const factory of TARGETS) targets.push(await benchTarget(factory, plan, cleanup));
    const results = {
      startedAt,
      durationSeconds: (performance.now() - started) / 1000,
      plan,
      machine,
      targets,
    };
    console.log(formatReport(results));
    progress(`results written to ${writeResults(results)}; took ${results.durationSeconds.toFixed(1)} s`);
    return 0;
  } catch (error) {
    // The stopped server fails whatever request was running; that is the interruption, not an error to report.
    if (interrupted) return 130;
    console.error(error instanceof VerificationError ? `VERIFICATION FAILED: ${error.message}` : error);
    return 1;
  } finally {
    await cleanup.run().catch((error: unknown) => console.error("cleanup failed:", error));
  }
}

// Exit explicitly: autocannon and keep-alive agents may leave timers that would keep the process alive.
main().then((code) => process.exit(code));
