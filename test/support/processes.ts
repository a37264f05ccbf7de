// Child processes the tests run: the prisma CLI, `npm run db:migrate`, and real server processes (`src/server.ts`)
// on loopback ports, for what only a separate process shows (several instances, signals, exit codes).
import { execFile, spawn, type ChildProcess, type ChildProcessByStdio } from "node:child_process";
import type { Readable } from "node:stream";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import type { ExpectStatic } from "vitest";
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
export function prisma(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<ProcessResult> {
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

/** `npm run db:migrate` (scripts/db-migrate.ts) on a database URL. */
export function migrateCli(databaseUrl: string): Promise<ProcessResult> {
  return run(join(root, "node_modules", ".bin", "tsx"), [join(root, "scripts", "db-migrate.ts")], {
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
  /** SIGTERM, then the exit. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL (a crash: no handler runs); resolves once it exited and everything it wrote has been read. */
  kill(): Promise<void>;
  /** Resolves as soon as what it writes from now on matches `pattern` (checked on every chunk, not polled). */
  outputMatches(pattern: RegExp): Promise<void>;
}

/**
 * `src/server.ts` as its own process on a free loopback port (PORT=0), run by node with tsx's loader, so that
 * signals reach the server itself and not a wrapper. Resolves once it logged that it listens.
 */
export async function startServerProcess(env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<ServerProcess> {
  const child = spawnServer(env);
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  // "close" comes after "exit", once stdout and stderr are drained.
  const closed = new Promise<void>((resolve) => child.once("close", () => resolve()));
  const origin = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), timeoutMs);
    const onData = () => {
      const url = /GraphQL API on (http:\/\/[\d.]+:\d+)\//.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve(url);
      }
    };
    child.stdout.on("data", onData);
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${output}`));
    });
  });
  return {
    origin,
    child,
    exited,
    output: () => output,
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited;
    },
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      return closed;
    },
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

function spawnServer(env: NodeJS.ProcessEnv): ChildProcessByStdio<null, Readable, Readable> {
  return spawn(process.execPath, ["--import", "tsx", join(root, "src", "server.ts")], {
    cwd: root,
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info", API_KEYS: TEST_API_KEYS_ENV, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
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
