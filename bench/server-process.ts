// The real server as a separate process on a free loopback port, as production runs it (`node dist/server.js`, built
// first if the bundle is stale), with its memory readable from /proc; and its peers, the bare-Node floor servers
// (bench/floor/) and PostGraphile (bench/postgraphile/), the same way, so all are started, timed, measured and
// stopped alike.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { get } from "node:http";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { build, DIST_SERVER } from "../scripts/build.ts";
import { FLOOR_READY_PATH } from "./floor/protocol.ts";
import { BENCH_API_KEYS_ENV } from "./graphql-client.ts";

const PROJECT_ROOT = fileURLToPath(new URL("..", import.meta.url));
const HOST = "127.0.0.1";
const START_TIMEOUT_MS = 60_000;
/**
 * How often a starting process is asked whether it is ready: the start time is measured to the first 200, so the
 * interval bounds its error. A refused connection costs the starting process nothing.
 */
const READY_POLL_MS = 5;
const STOP_TIMEOUT_MS = 5_000;
/**
 * The only variables the server inherits: everything it reads as configuration (DATABASE_URL, REDIS_URL, pool sizes…)
 * is set by the benchmark, so a run does not depend on the shell it was started from. NODE_ENV passes, so a
 * production-mode run stays possible.
 */
const INHERITED_ENV = ["PATH", "HOME", "TMPDIR", "LANG", "TZ", "NODE_ENV"];
/** Enough of the server's output to explain a failed start, without holding a chatty log in memory. */
const OUTPUT_TAIL_CHARS = 8_000;

export interface MemorySample {
  /** Resident set size now, in KiB. */
  rssKiB: number;
  /** Peak resident set size since the process started (VmHWM), in KiB. */
  peakKiB: number;
}

export interface ServerOptions {
  /** Target-specific settings (DATABASE_URL …) and overrides such as MAX_DELETE_IDS. */
  env: Record<string, string>;
  /** Extra node flags, e.g. `--cpu-prof` for profiling. */
  nodeArgs?: readonly string[];
  /** The Node binary; this process's by default. */
  node?: string;
}

export interface ServerProcess {
  /** Where requests go: the GraphQL endpoint, or the floor's one route. */
  url: string;
  pid: number;
  /** From spawning the process to its readiness URL's first 200, in ms. */
  startMs: number;
  /** Linux only: reads /proc/<pid>/status. */
  memory(): MemorySample;
  /** SIGTERM, then SIGKILL if it has not exited after a few seconds. Safe to call twice. */
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, HOST, () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function readMemory(pid: number): MemorySample {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (field: string): number => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
    if (!match?.[1]) throw new Error(`no ${field} in /proc/${pid}/status`);
    return Number(match[1]);
  };
  return { rssKiB: kib("VmRSS"), peakKiB: kib("VmHWM") };
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const done = exited(child);
  child.kill("SIGTERM");
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), STOP_TIMEOUT_MS)));
  if (await Promise.race([done.then(() => false), timedOut])) {
    child.kill("SIGKILL");
    await done;
  }
  clearTimeout(timer);
}

/**
 * The status of a GET to `url`, on a connection of its own that closes after the answer (no agent): no socket is
 * left open for the process's shutdown to wait on.
 */
function statusOf(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = get(url, { agent: false }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
      res.on("error", reject);
    });
    req.on("error", reject);
  });
}

/** Resolves once `readyUrl` answers 200; rejects with the process's output if it exits or never answers. */
async function waitUntilReady(child: ChildProcess, readyUrl: string, output: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`process exited during start (${child.exitCode ?? child.signalCode}):\n${output()}`);
    }
    // Not listening yet (0): migrations take a second or two.
    if ((await statusOf(readyUrl).catch(() => 0)) === 200) return;
    if (Date.now() > deadline)
      throw new Error(`${readyUrl} did not answer 200 within ${START_TIMEOUT_MS} ms:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
  }
}

interface SpawnOptions {
  /** The Node binary; this process's by default. */
  node?: string;
  /** What node runs, after its flags. */
  args: readonly string[];
  env: Record<string, string>;
  /** Path of the route that answers 200 once the process can serve, and of the one requests go to. */
  readyPath: string;
  requestPath: string;
}

async function spawnProcess({
  node = process.execPath,
  args,
  env,
  readyPath,
  requestPath,
}: SpawnOptions): Promise<ServerProcess> {
  const port = await freePort();
  const inherited = INHERITED_ENV.flatMap((name) => {
    const value = process.env[name];
    return value === undefined ? [] : [[name, value] as const];
  });
  const childEnv = { ...Object.fromEntries(inherited), HOST, PORT: String(port), ...env };

  const spawned = performance.now();
  const child = spawn(node, args, { cwd: PROJECT_ROOT, env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
  let tail = "";
  const keep = (chunk: Buffer) => (tail = (tail + chunk.toString("utf8")).slice(-OUTPUT_TAIL_CHARS));
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  child.on("error", (error) => (tail += `\n${String(error)}`));
  const { pid } = child;
  if (pid === undefined) throw new Error(`could not spawn node ${args.join(" ")}`);

  const origin = `http://${HOST}:${port}`;
  try {
    await waitUntilReady(child, `${origin}${readyPath}`, () => tail);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  const startMs = performance.now() - spawned;
  return { url: `${origin}${requestPath}`, pid, startMs, memory: () => readMemory(pid), stop: () => stopChild(child) };
}

/** What `node --version` prints for this Node binary, e.g. "v24.22.3". */
export function nodeVersion(node: string): string {
  if (node === process.execPath) return process.version;
  return spawnSync(node, ["--version"], { encoding: "utf8" }).stdout.trim();
}

/** The compiled server, ready when its /ready answers 200 (database reachable, migrated, writable). */
export async function startServer({ env, nodeArgs = [], node }: ServerOptions): Promise<ServerProcess> {
  await build();
  return spawnProcess({
    node,
    args: [...nodeArgs, DIST_SERVER],
    env: {
      LOG_LEVEL: "warn",
      // Measured as deployed: graphql-js skips its development-only checks, GraphiQL and introspection are off.
      NODE_ENV: "production",
      API_KEYS: BENCH_API_KEYS_ENV,
      ...env,
    },
    readyPath: "/ready",
    requestPath: "/graphql",
  });
}

/**
 * A bare-Node floor server (bench/floor/), through tsx as the benchmark itself runs: its loader works once, at
 * import, so the requests it serves run plain JavaScript.
 */
export function startFloor(node: string, script: string, env: Record<string, string>): Promise<ServerProcess> {
  const args = ["--import", "tsx", script];
  return spawnProcess({ node, args, env, readyPath: FLOOR_READY_PATH, requestPath: "/" });
}

/** Another server program (bench/postgraphile/server.mjs), on `node`, ready when its /ready answers 200. */
export function startNodeServer(node: string, script: string, env: Record<string, string>): Promise<ServerProcess> {
  return spawnProcess({ node, args: [script], env, readyPath: "/ready", requestPath: "/graphql" });
}
