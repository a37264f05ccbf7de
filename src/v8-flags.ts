// The V8 settings the server runs with, for its footprint. Imported first by server.ts, before any WebAssembly is
// compiled; set at run time (not on the command line, so `node dist/server.js` is the whole start command), each
// flag still applies because V8 reads it when it compiles a wasm module or sizes the heap after a GC. Measured on
// the compiled server, SQLite, 2 cores (docs/benchmark.md has the full runs):
//
// - Wasm by Liftoff only. Prisma's query compiler is wasm (and so is the schema engine a migrating start loads). By
//   default V8 re-compiles the functions that run often with TurboFan, on background threads whose malloc arenas
//   glibc keeps afterwards: idle RSS 96–102 MiB without it against 102–111 with it on a migrated database (5 starts
//   each), with the same throughput and CPU per request at concurrency 16 (~1000 req/s, ~1100 µs).
// - The old generation grows by half its live size before the next major GC, instead of V8's default (up to 4×
//   when GC is cheap, which it is with ~20 MiB live). RSS after 10,000 mixed requests 152–158 MiB against 222–234;
//   c=16 throughput 949–985 against 934–950 req/s (3 alternating rounds); a 1,000,000-id delete takes the same time
//   (1.49–1.55 s against 1.47–1.50) and peaks at 321–336 MiB against 352–366.
//
// A flag the operator set on node's command line or in NODE_OPTIONS (either form, `--no-` included) is left alone.
import { setFlagsFromString } from "node:v8";

const SERVER_V8_FLAGS = ["--liftoff-only", "--heap-growing-percent=50"] as const;

/** `--no-liftoff_only=…` → `liftoff-only`: V8 takes `-` and `_` alike and `--no-` as the negation. */
const flagName = (flag: string) =>
  flag
    .replace(/^--(no-?)?/, "")
    .split("=")[0]!
    .replaceAll("_", "-");

/** The server's flags that the operator's own (node's arguments and NODE_OPTIONS, split on spaces) do not set. */
export function serverV8Flags(operatorArgs: readonly string[]): string[] {
  const set = new Set(operatorArgs.filter((arg) => arg.startsWith("--")).map(flagName));
  return SERVER_V8_FLAGS.filter((flag) => !set.has(flagName(flag)));
}

const operatorArgs = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? "").split(/\s+/)];
for (const flag of serverV8Flags(operatorArgs)) setFlagsFromString(flag);
