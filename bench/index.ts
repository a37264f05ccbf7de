// `npm run bench [-- --quick | --smoke]`: the real server over HTTP on loopback against its peers (a bare-Node floor
// server, and PostGraphile on PostgreSQL) and the raw driver, for every target database, with the server's start time and memory. Exits non-zero only when a delete removed the wrong rows (or the run could not complete, or, with
// CI=true, a target's database was unreachable), never because of a timing.
import { Cleanup } from "./cleanup.ts";
import type { DeleteApi } from "./delete-api.ts";
import { measureDiskSpace } from "./disk.ts";
import { measureFootprint } from "./footprint.ts";
import { GraphQLClient, graphqlProtocol } from "./graphql-client.ts";
import { measureLatency } from "./latency.ts";
import { measurePeakMemory } from "./memory.ts";
import { parsePlan, type Plan } from "./plan.ts";
import { progress } from "./progress.ts";
import { formatReport, machineInfo, writeResults, type SkippedTarget, type TargetResults } from "./report.ts";
import { nodeVersion, startServer } from "./server-process.ts";
import { measureStartTime } from "./start-time.ts";
import { TARGETS, type PeerServer, type TargetFactory } from "./target.ts";
import { measureThroughput, medianRound, type ThroughputResult, type ThroughputSummary } from "./throughput.ts";
import { TargetUnavailableError } from "./unavailable.ts";
import { VerificationError } from "./verify.ts";

/** A server on a fresh database of `factory`'s kind, with a client and a direct connection for seeding and checks. */
async function openServer(factory: TargetFactory, cleanup: Cleanup, env: Record<string, string> = {}) {
  const target = await factory(cleanup.tempDir("things-bench-"), cleanup);
  const server = await startServer({ node: target.node, env: { ...target.serverEnv, ...env } });
  cleanup.defer(() => server.stop());
  const client = new GraphQLClient(server.url);
  cleanup.defer(() => client.close());
  const db = await target.openServerDatabase();
  cleanup.defer(() => db.close());
  const api: DeleteApi = { name: "server", url: server.url, client, protocol: graphqlProtocol, db };
  return { target, server, client, db, api };
}

/** One of the target's peers (the bare-Node floor, PostGraphile), on a fresh database of its own. */
async function openPeer(peer: PeerServer, cleanup: Cleanup) {
  const { server, database: db } = await peer.start(cleanup);
  const client = new GraphQLClient(server.url);
  cleanup.defer(() => client.close());
  const api: DeleteApi = { name: peer.kind, url: server.url, client, protocol: peer.protocol, db };
  return { server, api };
}

/**
 * A target whose database is unreachable is skipped with a notice on a developer machine; CI machines always have
 * every database, so there it fails the run. Any other failure is rethrown.
 */
function skipUnavailable(error: unknown): SkippedTarget {
  if (!(error instanceof TargetUnavailableError)) throw error;
  if (process.env.CI === "true") throw new Error(`${error.message} (CI=true: every target must run)`);
  progress(`${error.message}: skipped`);
  return { reason: error.message };
}

/** One big delete on a fresh server process, so its peak RSS (VmHWM) reflects this delete and nothing before it. */
async function memoryRun(factory: TargetFactory, plan: Plan, cleanup: Cleanup, undoable: boolean) {
  // A million ids as JSON strings are ~12 MB of request body, past the default MAX_BODY_BYTES.
  const big = await openServer(factory, cleanup, {
    MAX_DELETE_IDS: String(plan.memoryRows),
    MAX_BODY_BYTES: String(plan.memoryRows * 16),
  });
  const memory = await measurePeakMemory(big.server, big.client, big.db, plan.memoryRows, undoable);
  await big.server.stop();
  return memory;
}

async function benchTarget(
  factory: TargetFactory,
  plan: Plan,
  cleanup: Cleanup,
): Promise<TargetResults | SkippedTarget> {
  // Only the first contact decides whether the target runs: a database lost later in the run is a failure.
  const opened = await openServer(factory, cleanup).catch(skipUnavailable);
  if ("reason" in opened) return opened;
  const { target, server, api } = opened;
  const peers = [];
  for (const peer of target.peers) peers.push(await openPeer(peer, cleanup));
  const started = peers.map((peer) => `${peer.api.name} pid ${peer.server.pid} on ${peer.server.url}`);
  progress(`${target.name}: server pid ${server.pid} on ${server.url}, ${started.join(", ")}`);
  const raws = await target.openRawDatabases();
  for (const raw of raws) cleanup.defer(() => raw.close());

  const peerApis = peers.map((peer) => peer.api);
  const latency = await measureLatency(plan, api, peerApis, raws);
  const throughput: ThroughputSummary[] = [];
  const peerThroughput: ThroughputSummary[][] = peers.map(() => []);
  // The server and each peer take turns, round after round at each concurrency, so a burst of other work on the
  // machine hits all alike.
  const apis = [api, ...peerApis];
  for (const concurrency of plan.throughput.concurrencies) {
    const rounds: ThroughputResult[][] = apis.map(() => []);
    for (let round = 0; round < plan.throughput.rounds; round++) {
      for (const [index, each] of apis.entries())
        rounds[index]?.push(await measureThroughput(each, plan.throughput, concurrency));
    }
    const [own, ...theirs] = rounds.map(medianRound);
    if (own) throughput.push(own);
    theirs.forEach((summary, index) => peerThroughput[index]?.push(summary));
  }
  // Free their CPU and memory before the memory runs (the deferred stops are then no-ops).
  await server.stop();
  for (const peer of peers) await peer.server.stop();
  const footprint = await measureFootprint(plan, (env) => openServer(factory, cleanup, env));
  const memory = {
    permanent: await memoryRun(factory, plan, cleanup, false),
    undoable: await memoryRun(factory, plan, cleanup, true),
  };
  const start = await measureStartTime(factory, plan, cleanup);
  return {
    target: target.name,
    provider: target.provider,
    node: nodeVersion(target.node),
    peers: target.peers.map(({ kind, label }) => ({ kind, label })),
    latency,
    throughput,
    peerThroughput,
    footprint,
    memory,
    start,
  };
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
    const skipped: SkippedTarget[] = [];
    for (const factory of TARGETS) {
      const result = await benchTarget(factory, plan, cleanup);
      if ("reason" in result) skipped.push(result);
      else targets.push(result);
    }
    const disk = await measureDiskSpace(plan.diskRows, cleanup);
    const results = {
      startedAt,
      durationSeconds: (performance.now() - started) / 1000,
      plan,
      machine,
      targets,
      skipped,
      disk,
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
process.exit(await main());
