// The real server as a separate process on a free loopback port, as production runs it (`node dist/server.js`, built
// first if the bundle is stale), with its memory readable from /proc.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { build, DIST_SERVER } from "../scripts/build.ts";
import { BENCH_API_KEYS_ENV, GraphQLClient, probeBody } from "./graphql-client.ts";

const PROJECT_ROOT = fileURLToPath(new URL("..", import.meta.url));
const HOST = "127.0.0.1";
const START_TIMEOUT_MS = 60_000;
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
}

export interface ServerProcess {
  url: string;
  pid: number;
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

/** Resolves once the server answers a GraphQL request; rejects with its output if it exits or never answers. */
async function waitUntilReady(child: ChildProcess, url: string, output: () => string): Promise<void> {
  const client = new GraphQLClient(url);
  const deadline = Date.now() + START_TIMEOUT_MS;
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`server exited during start (${child.exitCode ?? child.signalCode}):\n${output()}`);
      }
      try {
        const response = await client.post(probeBody);
        if (response.status === 200) return;
      } catch {
        // Not listening yet: migrations take a second or two.
      }
      if (Date.now() > deadline) throw new Error(`server did not answer within ${START_TIMEOUT_MS} ms:\n${output()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    client.close();
  }
}

export async function startServer({ env, nodeArgs = [] }: ServerOptions): Promise<ServerProcess> {
  await build();
  const port = await freePort();
  const inherited = INHERITED_ENV.flatMap((name) => {
    const value = process.env[name];
    return value === undefined ? [] : [[name, value] as const];
  });
  const childEnv = {
    ...Object.fromEntries(inherited),
    HOST,
    PORT: String(port),
    LOG_LEVEL: "warn",
    // Measured as deployed: graphql-js skips its development-only checks, GraphiQL and introspection are off.
    NODE_ENV: "production",
    API_KEYS: BENCH_API_KEYS_ENV,
    ...env,
  };

  const child = spawn(process.execPath, [...nodeArgs, DIST_SERVER], {
    cwd: PROJECT_ROOT,
    env: childEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let tail = "";
  const keep = (chunk: Buffer) => (tail = (tail + chunk.toString("utf8")).slice(-OUTPUT_TAIL_CHARS));
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  child.on("error", (error) => (tail += `\n${String(error)}`));
  const { pid } = child;
  if (pid === undefined) throw new Error("could not spawn the server");

  const url = `http://${HOST}:${port}/graphql`;
  try {
    await waitUntilReady(child, url, () => tail);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return { url, pid, memory: () => readMemory(pid), stop: () => stopChild(child) };
}
