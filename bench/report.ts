// The results as a readable table on stdout and as JSON under bench/results/, with the machine they ran on.
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, platform, release, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  afterLoadGoal,
  deleteAllFloorGoal,
  deleteAllThingsGoal,
  deleteThingsGoal,
  floorGoal,
  GOAL_LOAD_REQUESTS,
  graphiqlPageGoal,
  idleGoal,
  idleGraphiQLGoal,
  postgraphileGoal,
  postgraphileThroughputGoal,
  startGoal,
  THROUGHPUT_CONCURRENCY,
  THROUGHPUT_GOAL,
  throughputGoal,
  undoableGoal,
  undoableMemoryGoal,
  type GoalCheck,
} from "./goals.ts";
import type { DiskResult } from "./disk.ts";
import type { FootprintResult } from "./footprint.ts";
import type { Comparison, LatencyResults } from "./latency.ts";
import type { MemoryResult } from "./memory.ts";
import type { Plan } from "./plan.ts";
import type { StartTimeResult } from "./start-time.ts";
import type { Summary } from "./stats.ts";
import type { PeerServer, Target } from "./target.ts";
import type { ThroughputSummary } from "./throughput.ts";

const RESULTS_DIR = fileURLToPath(new URL("./results/", import.meta.url));

export interface MachineInfo {
  cpuModel: string;
  cpuCount: number;
  totalMemoryGiB: number;
  node: string;
  os: string;
  /** 1-minute load average when the run started: other work on the machine makes timings noisy. */
  loadAverage: number;
}

export interface TargetResults {
  target: string;
  /** SQLite's goals are stated against the floor and include throughput and footprint; PostgreSQL's against PostGraphile. */
  provider: Target["provider"];
  /** The Node version every server of this target ran on, e.g. "v24.22.3". */
  node: string;
  /** The servers measured beside this one, in the order of every `peers` list below: the floor first. */
  peers: Pick<PeerServer, "kind" | "label">[];
  latency: LatencyResults;
  throughput: ThroughputSummary[];
  /** The same load on each peer, at the same concurrencies, each right after the server's. */
  peerThroughput: ThroughputSummary[][];
  /** Idle RSS, GraphiQL and the mixed load, each on a fresh server process. */
  footprint: FootprintResult;
  /** The same big deleteThings, each on a fresh server process. */
  memory: { permanent: MemoryResult; undoable: MemoryResult };
  /** Spawn to /ready 200 on a migrated database. */
  start: StartTimeResult;
}

/** A target whose database could not be reached, so the report says it was not measured rather than omitting it. */
export interface SkippedTarget {
  reason: string;
}

export interface BenchResults {
  startedAt: string;
  durationSeconds: number;
  plan: Plan;
  machine: MachineInfo;
  targets: TargetResults[];
  skipped: SkippedTarget[];
  /** SQLite file size around a mass delete, with and without auto_vacuum = INCREMENTAL. */
  disk: DiskResult[];
}

export function machineInfo(): MachineInfo {
  const cores = cpus();
  return {
    cpuModel: cores[0]?.model.trim() ?? "unknown",
    cpuCount: cores.length,
    totalMemoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${platform()} ${release()}`,
    loadAverage: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}

/** Three significant digits, so 0.0421 ms and 1234 ms both read well. */
function ms(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toPrecision(3);
}

function spread(summary: Summary): string {
  return `${ms(summary.median)} (${ms(summary.min)}–${ms(summary.max)})`;
}

/** A median against its baseline: the ratio and the difference cells. */
function versus(median: number, baseline: number): [string, string] {
  const difference = median - baseline;
  return [`${(median / baseline).toFixed(1)}×`, `${difference < 0 ? "−" : "+"}${ms(Math.abs(difference))}`];
}

function goalText(check: GoalCheck | null): string {
  return check ? `${check.goal}: ${check.met ? "met" : "NOT met"}` : "";
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(" | ")} |`;
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join("\n");
}

function latencyTable({ rows, deleteThings, deleteAllThings }: LatencyResults): string {
  const databases = [...new Set([...deleteThings, deleteAllThings].flatMap((c) => c.raw.map((r) => r.database)))];
  // Per raw database, the faster SQL shape for this K (every shape is in the JSON).
  const rawCell = (comparison: Comparison, database: string) => {
    const best = comparison.raw
      .filter((r) => r.database === database)
      .sort((a, b) => a.summary.median - b.summary.median)[0];
    return best ? `${ms(best.summary.median)} ${best.method}` : "";
  };
  const row = (label: string, comparison: Comparison, goal: GoalCheck | null) => [
    label,
    spread(comparison.http),
    ...databases.map((database) => rawCell(comparison, database)),
    ms(comparison.limit.summary.median),
    ...versus(comparison.http.median, comparison.limit.summary.median),
    goalText(goal),
  ];
  return table(
    [
      "K ids",
      "HTTP median (min–max)",
      ...databases.map((d) => `raw: ${d}`),
      "limit",
      "HTTP÷limit",
      "HTTP−limit",
      "target",
    ],
    [
      ...deleteThings.map((c) =>
        row(String(c.idCount), c, deleteThingsGoal(c.idCount, c.http.median, c.limit.summary.median)),
      ),
      row(
        `all ${rows} (deleteAllThings)`,
        deleteAllThings,
        deleteAllThingsGoal(deleteAllThings.http.median, deleteAllThings.limit.summary.median),
      ),
    ],
  );
}

function undoableTable({ deleteThings }: LatencyResults): string {
  const row = (operation: string, idCount: number, summary: Summary, permanent: Summary) => [
    operation,
    String(idCount),
    spread(summary),
    ms(permanent.median),
    ...versus(summary.median, permanent.median),
    goalText(undoableGoal(idCount, summary.median, permanent.median)),
  ];
  return table(
    ["operation", "K ids", "HTTP median (min–max)", "permanent", "÷permanent", "−permanent", "target"],
    deleteThings.flatMap((c) => [
      row("deleteThings(undoable: true)", c.idCount, c.undoable, c.http),
      row("undoDelete", c.idCount, c.undo, c.http),
    ]),
  );
}

const mibText = (value: number) => `${value.toFixed(0)} MiB`;

function rps(result: ThroughputSummary | undefined, withP99: boolean): string {
  if (!result) return "–";
  return `${result.requestsPerSecond.toFixed(0)}${withP99 ? ` (${ms(result.latencyMs.p99)} ms)` : ""}`;
}

/**
 * The table docs/benchmark.md carries, as the issue's: per row what one target sent, medians in ms, then the
 * throughput at each concurrency (p99 at the highest). The no-op column is each process's request without a
 * database: `{ __typename }` for the GraphQL servers, the floor's own no-op.
 */
function summaryTable(t: TargetResults, plan: Plan): string {
  const { latency } = t;
  const concurrencies = plan.throughput.concurrencies;
  const highest = concurrencies.at(-1);
  const throughputCells = (results: readonly ThroughputSummary[]) =>
    concurrencies.map((c) =>
      rps(
        results.find((r) => r.concurrency === c),
        c === highest,
      ),
    );
  return table(
    [
      "target",
      "no-op",
      ...latency.deleteThings.map((c) => `K=${c.idCount}`),
      "delete all",
      ...concurrencies.map((c) => `req/s c=${c}${c === highest ? " (p99)" : ""}`),
    ],
    [
      [
        "this server, `deleteThings { deletedCount }`",
        ms(latency.serverNoop.median),
        ...latency.deleteThings.map((c) => ms(c.http.median)),
        ms(latency.deleteAllThings.http.median),
        ...throughputCells(t.throughput),
      ],
      ...t.peers.map((peer, index) => [
        peer.label,
        ms(peerOf(latency.peerNoops, index).median),
        ...latency.deleteThings.map((c) => ms(peerOf(c.peers, index).median)),
        ms(peerOf(latency.deleteAllThings.peers, index).median),
        ...throughputCells(peerOf(t.peerThroughput, index)),
      ]),
      [
        "raw driver in process (fastest configuration and SQL shape per column)",
        "–",
        ...latency.deleteThings.map((c) => ms(c.limit.summary.median)),
        ms(latency.deleteAllThings.limit.summary.median),
        ...concurrencies.map(() => "–"),
      ],
    ],
  );
}

/** The entry of peer `index` in a list ordered as the target's peers. */
function peerOf<T>(list: readonly T[], index: number): T {
  const entry = list[index];
  if (entry === undefined) throw new Error(`no result for peer ${index}`);
  return entry;
}

const atConcurrency = (results: readonly ThroughputSummary[]) =>
  results.find((r) => r.concurrency === THROUGHPUT_CONCURRENCY);

/** PostgreSQL's targets: ahead of PostGraphile of the same run at every K, in delete-all and in throughput. */
function postgraphileGoalRows(t: TargetResults): [string, string, GoalCheck | null][] {
  const { latency } = t;
  const index = t.peers.findIndex((peer) => peer.kind === "postgraphile");
  if (index < 0) return [];
  const versus = (http: Summary, peer: Summary): [string, GoalCheck] => [
    `${ms(http.median)} ms vs PostGraphile ${ms(peer.median)}`,
    postgraphileGoal(http.median, peer.median),
  ];
  const all = latency.deleteAllThings;
  const c16 = atConcurrency(t.throughput);
  const peerC16 = atConcurrency(peerOf(t.peerThroughput, index));
  return [
    ...latency.deleteThings.map((c): [string, string, GoalCheck] => [
      `deleteThings K=${c.idCount}`,
      ...versus(c.http, peerOf(c.peers, index)),
    ]),
    [`deleteAllThings N=${latency.rows}`, ...versus(all.http, peerOf(all.peers, index))],
    [
      `req/s c=${THROUGHPUT_CONCURRENCY}`,
      `${rps(c16, true)} vs PostGraphile ${rps(peerC16, true)}`,
      c16 && peerC16 ? postgraphileThroughputGoal(c16.requestsPerSecond, peerC16.requestsPerSecond) : null,
    ],
  ];
}

/** The issue's targets for this database, each with what this run measured. */
function goalRows(t: TargetResults): [string, string, GoalCheck | null][] {
  if (t.provider === "postgresql") return postgraphileGoalRows(t);
  const { latency, footprint, start } = t;
  const c16 = atConcurrency(t.throughput);
  const all = latency.deleteAllThings;
  const floor = t.peers.findIndex((peer) => peer.kind === "floor");
  return [
    ...latency.deleteThings.map((c): [string, string, GoalCheck | null] => {
      const floorMs = peerOf(c.peers, floor).median;
      return [
        `deleteThings K=${c.idCount}`,
        `${ms(c.http.median)} ms vs floor ${ms(floorMs)}`,
        floorGoal(c.idCount, c.http.median, floorMs),
      ];
    }),
    [
      `deleteAllThings N=${latency.rows}`,
      `${ms(all.http.median)} ms vs floor ${ms(peerOf(all.peers, floor).median)}`,
      deleteAllFloorGoal(all.http.median, peerOf(all.peers, floor).median),
    ],
    [
      `req/s c=${THROUGHPUT_CONCURRENCY}`,
      rps(c16, true),
      c16 ? throughputGoal(c16.concurrency, c16.requestsPerSecond, c16.latencyMs.p99) : null,
    ],
    ["idle RSS, GraphiQL off", mibText(footprint.idleMiB), idleGoal(footprint.idleMiB)],
    ["idle RSS, GraphiQL on", mibText(footprint.graphiql.idleMiB), idleGraphiQLGoal(footprint.graphiql.idleMiB)],
    [
      `RSS after ${footprint.mixed.requests} mixed requests (goal stated for ${GOAL_LOAD_REQUESTS})`,
      mibText(footprint.mixed.rssAfterMiB),
      afterLoadGoal(footprint.mixed.rssAfterMiB),
    ],
    ["start to /ready (median)", `${start.summary.median.toFixed(0)} ms`, startGoal(start.summary.median)],
    [
      `GraphiQL page transferred (${footprint.graphiql.encoding})`,
      `${footprint.graphiql.pageBytes} bytes`,
      graphiqlPageGoal(footprint.graphiql.pageBytes),
    ],
  ];
}

function goalsTable(t: TargetResults): string {
  return table(
    ["measure", "this run", "target"],
    goalRows(t).map(([measure, value, goal]) => [measure, value, goalText(goal)]),
  );
}

/** What an operator provisions: resident memory of the compiled server, and its start time. */
function footprintTable(t: TargetResults, plan: Plan): string {
  const { footprint, memory, start } = t;
  const { graphiql, mixed } = footprint;
  const bigDelete = (m: MemoryResult) => [
    `peak during one ${m.ids}-id deleteThings${m.undoable ? "(undoable)" : ""}`,
    mibText(m.peakMiB),
    "",
  ];
  return table(
    ["server process (node dist/server.js, NODE_ENV=production)", "RSS", "peak (VmHWM)"],
    [
      ["idle, 1 s after /ready, GRAPHIQL=false", mibText(footprint.idleMiB), ""],
      ["idle, 1 s after /ready, GRAPHIQL=true", mibText(graphiql.idleMiB), ""],
      [
        `1 s after one GraphiQL page load (${graphiql.pageBytes} bytes ${graphiql.encoding}, ${ms(graphiql.pageMs)} ms)`,
        mibText(graphiql.afterPageMiB),
        mibText(graphiql.peakMiB),
      ],
      [
        `after ${mixed.requests} mixed requests on ${mixed.connections} connections (${mixed.seconds.toFixed(1)} s)`,
        mibText(mixed.rssAfterMiB),
        mibText(mixed.peakMiB),
      ],
      bigDelete(memory.permanent),
      bigDelete(memory.undoable),
      [
        `start to /ready 200, migrated database: median of ${plan.startRuns} (max)`,
        `${start.summary.median.toFixed(0)} ms (${start.summary.max.toFixed(0)} ms)`,
        `first, migrating start: ${start.migratingStartMs.toFixed(0)} ms`,
      ],
    ],
  );
}

function throughputTable(results: readonly ThroughputSummary[], withGoal: boolean): string {
  const header = [
    "concurrency",
    "ids/request",
    "seconds",
    "deletes",
    "req/s",
    "p50 ms",
    "p99 ms",
    "conn. errors",
    "req/s of each round",
  ];
  return table(
    withGoal ? [...header, "target"] : header,
    results.map((r) => [
      String(r.concurrency),
      String(r.idsPerRequest),
      r.seconds.toFixed(1),
      String(r.acknowledged) + (r.poolExhausted ? " (ran out of seeded ids)" : ""),
      r.requestsPerSecond.toFixed(0),
      ms(r.latencyMs.p50),
      ms(r.latencyMs.p99),
      String(r.connectionErrors),
      r.roundsRequestsPerSecond.map((value) => value.toFixed(0)).join(" / "),
      ...(withGoal ? [goalText(throughputGoal(r.concurrency, r.requestsPerSecond, r.latencyMs.p99))] : []),
    ]),
  );
}

function memoryTable({ permanent, undoable }: TargetResults["memory"]): string {
  const increase = (memory: MemoryResult) => memory.peakMiB - memory.rssBeforeMiB;
  const row = (memory: MemoryResult, goal: GoalCheck | null) => [
    memory.undoable ? "undoable: true" : "permanent",
    String(memory.ids),
    `${memory.rssBeforeMiB.toFixed(0)} MiB`,
    `${memory.peakMiB.toFixed(0)} MiB`,
    `${increase(memory).toFixed(0)} MiB`,
    `${ms(memory.deleteMs)} ms`,
    goalText(goal),
  ];
  return table(
    ["deleteThings", "ids", "server RSS before", "peak RSS during", "increase", "delete time", "target"],
    [row(permanent, null), row(undoable, undoableMemoryGoal(increase(undoable), increase(permanent)))],
  );
}

function diskTable(results: readonly DiskResult[]): string {
  const mib = (value: number) => `${value.toFixed(1)} MiB`;
  return table(
    [
      "auto_vacuum",
      "rows deleted",
      "kept",
      "seeded",
      "after delete",
      "after reclaim",
      "pages back",
      "reclaim",
      "longest stall",
    ],
    results.map((r) => [
      r.autoVacuum,
      String(r.rowsDeleted),
      String(r.rowsKept),
      mib(r.seededMiB),
      mib(r.afterDeleteMiB),
      mib(r.afterReclaimMiB),
      String(r.pagesReclaimed),
      `${ms(r.reclaimMs)} ms`,
      `${ms(r.longestStallMs)} ms`,
    ]),
  );
}

export function formatReport({ startedAt, plan, machine, targets, skipped, disk }: BenchResults): string {
  const sections = targets.map((t) =>
    [
      `### ${t.target}, every server on Node ${t.node}`,
      "",
      `Delete K random ids of N = ${plan.rows} in one request, median ms of ${plan.runs} runs, each verified in the ` +
        `database; throughput: ${plan.throughput.idsPerRequest} ids per request, the median of ` +
        `${plan.throughput.rounds} round(s) of ${plan.throughput.seconds} s, the server's and its peers' taking ` +
        "turns. Each peer runs on a database of its own, in the rounds right after the server's.",
      "",
      summaryTable(t, plan),
      "",
      t.provider === "postgresql"
        ? "Targets against PostGraphile's count-returning function, measured in this run:"
        : "Targets against the bare-Node floor of this run, and for the server's footprint:",
      "",
      goalsTable(t),
      "",
      footprintTable(t, plan),
      "",
      `One delete at a time over HTTP (keep-alive) vs the raw driver in-process; N = ${plan.rows} ` +
        `rows before each delete, ${plan.runs} runs after ${plan.warmups} warm-up(s), times in ms. ` +
        "limit = fastest raw median (over the raw configurations × SQL shapes).",
      "",
      latencyTable(t.latency),
      "",
      "The trash: deleteThings(undoable: true) of the same K random ids, then undoDelete of that deletion, " +
        "against the permanent deleteThings above (its HTTP median), times in ms:",
      "",
      undoableTable(t.latency),
      "",
      `HTTP floor: \`{ __typename }\` to the same server after the same untimed gap, no database work: ` +
        `${spread(t.latency.serverNoop)} ms. Every delete over HTTP pays at least this on this machine.`,
      "",
      `Throughput: deleteThings of ${plan.throughput.idsPerRequest} fresh ids per request (autocannon, keep-alive). ` +
        (t.provider === "sqlite"
          ? "target = the goal stated for SQLite."
          : `No target: the goal (${THROUGHPUT_GOAL}) is stated for SQLite only.`),
      "",
      throughputTable(t.throughput, t.provider === "sqlite"),
      "",
      ...t.peers.flatMap((peer, index) => [
        `${peer.label}, under the same load:`,
        "",
        throughputTable(peerOf(t.peerThroughput, index), false),
        "",
      ]),
      "Peak server memory (VmRSS sampled every 5 ms, and VmHWM) during one large deleteThings, each on a fresh " +
        "server process:",
      "",
      memoryTable(t.memory),
    ].join("\n"),
  );
  return [
    `## Benchmark (${plan.mode}) — ${startedAt}`,
    "",
    `${machine.cpuCount} × ${machine.cpuModel}, ${machine.totalMemoryGiB} GiB, Node ${machine.node}, ${machine.os}, ` +
      `load average ${machine.loadAverage} at start`,
    ...[...sections, ...skipped.map((s) => `### Not measured: ${s.reason}`)].flatMap((section) => ["", section]),
    "",
    "### SQLite file size after a mass delete",
    "",
    "Database plus -wal, in process: after seeding, after one DELETE of the rows (one in 11 kept, spread over the " +
      "file), and after one run of the space reclaim job (incremental_vacuum in steps, then a checkpoint); " +
      "longest stall = the longest the event loop was blocked during that run.",
    "",
    diskTable(disk),
  ].join("\n");
}

/** Writes bench/results/<ISO timestamp>.json (colons replaced, so the name is valid on every file system). */
export function writeResults(results: BenchResults): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${results.startedAt.replaceAll(":", "-")}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}
