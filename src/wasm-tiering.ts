// WebAssembly compiled by V8's baseline compiler only. Imported first by server.ts, before any module is compiled:
// Prisma's query compiler is wasm, and so is the schema engine a migrating start loads. By default V8 compiles wasm
// with Liftoff and then re-compiles the functions that run often with TurboFan, on background threads whose malloc
// arenas glibc keeps afterwards. Measured on the compiled server (SQLite, GraphiQL off, 2 cores, 5 starts each):
// idle RSS 96–102 MiB without TurboFan against 102–111 with it on a migrated database, 104–111 against 107–129 on a
// migrating start, and the same throughput and CPU per request at concurrency 16 (~1000 req/s, ~1100 µs): the
// query compiler's share of a request is small. Set at run time, the flag still applies: V8 reads it when it
// compiles a module.
import { setFlagsFromString } from "node:v8";

setFlagsFromString("--liftoff-only");
