// Child processes the tests run: the prisma CLI, `npm run db:migrate`, and real server processes (dist/server.js, as
// production runs it) on loopback ports, for what only a separate process shows (instances, signals, exit codes).
import { execFile, spawn, type ChildProcess, type ChildProcessByStdio } from "node:child_process";
import type { Readable } from "node:stream";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, type ExpectStatic } from "vitest";
import { DIST_SERVER } from "../../scripts/build.ts";
import { TEST_API_KEYS_ENV } from "./server.ts";

export const root = resolve(import.meta.dirname, "../..");

export interface ProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function run(file: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }) {
  try {
    const { stdout, stderr } = await promisify(execFile)(file, args, { ...options, encoding: "utf-8" });
    return { code: 0, stdout, stderr } satisfies ProcessResult;
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof failed.code !== "number") throw error;
    return { code: failed.code, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" } satisfies ProcessResult;
  }
}

/**
 * The unmodified prisma CLI. PRISMA_SCHEMA_ENGINE_BINARY is removed so that prisma.config.ts has to choose the
 * shim itself, unless a test sets it.
 */
export function prisma(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<ProcessResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: "1", ...options.env };
  if (options.env?.PRISMA_SCHEMA_ENGINE_BINARY === undefined) delete env.PRISMA_SCHEMA_ENGINE_BINARY;
  return run(join(root, "node_modules", ".bin", "prisma"), args, { cwd: options.cwd ?? root, env });
}

/** The stock `prisma migrate deploy`, then `migrate status`, both expected to succeed on `env.DATABASE_URL`. */
export async function expectPrismaDeployThenUpToDate(expect: ExpectStatic, env: NodeJS.ProcessEnv): Promise<void> {
  const deploy = await prisma(["migrate", "deploy"], { env });
  expect(deploy.stdout).toContain("All migrations have been successfully applied.");
  expect(deploy.code).toBe(0);
  const status = await prisma(["migrate", "status"], { env });
  expect(status.stdout).toContain("Database schema is up to date!");
  expect(status.code).toBe(0);
}

/**
 * `npm run db:migrate` (scripts/db-migrate.ts) on a database URL, run by node with tsx's loader so that `nodeArgs`
 * (e.g. an `--import` of a test hook) apply to the script's own process.
 */
export function migrateCli(databaseUrl: string, nodeArgs: readonly string[] = []): Promise<ProcessResult> {
  return run(process.execPath, ["--import", "tsx", ...nodeArgs, join(root, "scripts", "db-migrate.ts")], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl },
  });
}

export interface ServerProcess {
  /** http://127.0.0.1:<port> */
  origin: string;
  child: ChildProcess;
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything it wrote so far (JSON log lines, start-up errors). */
  output(): string;
  /** SIGTERM to `child` (npm itself when started through `npm start`), then the exit. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /**
   * SIGKILL (a crash: no handler runs) to `child` and everything it started; resolves once it exited and everything
   * it wrote has been read.
   */
  kill(): Promise<void>;
  /** Resolves as soon as what it writes from now on matches `pattern` (checked on every chunk, not polled). */
  outputMatches(pattern: RegExp): Promise<void>;
}

/**
 * A hang guard, not a speed check: a start that takes this long is stuck, and failing with its output (and the process
 * gone) beats vitest's timeout, which would leave the process running.
 */
const START_GUARD_MS = 60_000;
/**
 * Servers whose output is still open after the test file (a failed test): killed, never left behind. An afterAll of
 * the importing file, because vitest may end its worker with a signal, and then no "exit" handler runs.
 */
const running = new Set<ChildProcess>();
afterAll(() => running.forEach(killGroup));

/** The whole group: `npm start`'s node process holds on to the output pipes, and it is what must not survive. */
function killGroup(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, "SIGKILL");
  } catch {
    // Every process of the group has exited already.
  }
}

/** The two documented ways to run the server: the container command, and the README's `npm start`. */
export type Launch = "node dist/server.js" | "npm start";

/** A server process from its spawn on, before it listens: what it wrote, its exit, and a way to wait for a line. */
export type StartingServerProcess = Pick<ServerProcess, "exited" | "output" | "outputMatches"> & {
  child: ChildProcessByStdio<null, Readable, Readable>;
  /** After `exited`, once everything it wrote has been read. */
  closed: Promise<void>;
};

/**
 * The built server (test/support/global-setup.ts builds it) as its own process on a free loopback port (PORT=0),
 * started the way `launch` says, returned at once: for what happens during its start.
 */
export function spawnServerProcess(
  env: NodeJS.ProcessEnv,
  launch: Launch = "node dist/server.js",
): StartingServerProcess {
  const child = spawnServer(env, launch);
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  // "close" comes after "exit", once every process holding stdout and stderr has exited and they are drained.
  const closed = new Promise<void>((resolve) => child.once("close", () => resolve()));
  return {
    child,
    exited,
    closed,
    output: () => output,
    outputMatches: (pattern) =>
      new Promise((resolve) => {
        const from = output.length;
        const check = () => {
          if (!pattern.test(output.slice(from))) return;
          child.stdout.off("data", check);
          resolve();
        };
        // Listeners run in order, so this one sees `output` with the chunk already appended.
        child.stdout.on("data", check);
      }),
  };
}

/**
 * spawnServerProcess, resolved once the server logged that it listens; rejects with its output if it exits first.
 */
export async function startServerProcess(
  env: NodeJS.ProcessEnv,
  launch: Launch = "node dist/server.js",
): Promise<ServerProcess> {
  const starting = spawnServerProcess(env, launch);
  const { child, exited, closed, output } = starting;
  const origin = await new Promise<string>((resolve, reject) => {
    const guard = setTimeout(() => {
      killGroup(child);
      reject(new Error(`server did not start within ${START_GUARD_MS} ms:\n${output()}`));
    }, START_GUARD_MS);
    const onData = () => {
      const url = /GraphQL API on (http:\/\/[\d.]+:\d+)\//.exec(output())?.[1];
      if (!url) return;
      clearTimeout(guard);
      resolve(url);
    };
    child.stdout.on("data", onData);
    void exited.then(({ code }) => {
      clearTimeout(guard);
      reject(new Error(`server exited with ${code} before listening:\n${output()}`));
    });
  });
  return {
    origin,
    child,
    exited,
    output,
    outputMatches: starting.outputMatches,
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited;
    },
    kill: () => {
      killGroup(child);
      return closed;
    },
  };
}

function spawnServer(
  env: NodeJS.ProcessEnv,
  launch: Launch = "node dist/server.js",
): ChildProcessByStdio<null, Readable, Readable> {
  const [command, args] = launch === "npm start" ? ["npm", ["start"]] : [process.execPath, [DIST_SERVER]];
  const child = spawn(command, args, {
    cwd: root,
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info", API_KEYS: TEST_API_KEYS_ENV, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    // A process group of its own: kill() must not leave the node process npm started serving.
    detached: true,
  });
  running.add(child);
  child.once("close", () => running.delete(child));
  return child;
}

/** A server process expected to fail its start: its exit code and everything it wrote, once it exited. */
export async function failedStart(env: NodeJS.ProcessEnv): Promise<ProcessResult> {
  const child = spawnServer(env);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    // It started after all: stop it, so the test fails on its assertions instead of waiting for a timeout.
    if (/GraphQL API on /.test(stdout)) child.kill("SIGTERM");
  });
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  // "close" comes after "exit", once stdout and stderr are drained.
  const code = await new Promise<number | null>((resolve) => child.once("close", (exitCode) => resolve(exitCode)));
  return { code: code ?? -1, stdout, stderr };
}
