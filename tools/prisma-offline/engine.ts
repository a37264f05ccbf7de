// Loads Prisma's wasm schema engine and opens it on a database through a driver adapter.
//
// Engine build: @prisma/schema-engine-wasm 7.10.0-7.561d7b42579a2459cc8edf3788918b626c640023 (pinned exactly in
// package.json; version() = 561d7b4…). prisma 7.10.1's own engine is d1b3f377…, which is not published as a wasm
// package; 561d7b works for apply/diff/diagnose (tools/prisma-offline/README.md W1). The wasm API is internal to
// Prisma: re-run test/migrations.test.ts whenever prisma or this package is upgraded.

import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  bindMigrationAwareSqlAdapterFactory,
  type ErrorRegistry,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import * as bindings from "@prisma/schema-engine-wasm/schema_engine_bg";
import type { DatabaseProvider } from "../../src/config.ts";
import { createDatabaseTarget } from "./adapters.ts";

export type SchemaEngine = bindings.SchemaEngine;

export interface OpenEngineOptions {
  databaseUrl: string;
  /** Directory relative `file:` URLs resolve against. */
  baseDir: string;
  /** Prisma schema files as [path, content]; the engine only reads them for multiSchema namespaces. */
  datamodels?: [string, string][];
  /** Receives the engine's JSON log lines ({"level","fields":{"message"},"target"}). */
  log?: (line: string) => void;
}

export interface OpenEngine {
  engine: SchemaEngine;
  provider: DatabaseProvider;
  /** Where the engine keeps the driver errors its messages refer to as "External error id#N". */
  errorRegistry: ErrorRegistry;
  /** Frees the engine and closes every connection it opened; afterwards other connections can use the database. */
  close(): Promise<void>;
}

/** The engine version (a prisma-engines commit hash). */
export async function engineVersion(): Promise<string> {
  await loadWasm();
  return bindings.version();
}

export async function openEngine(options: OpenEngineOptions): Promise<OpenEngine> {
  await loadWasm();
  const { provider, factory } = createDatabaseTarget(options.databaseUrl, options.baseDir);
  const connections = trackConnections(factory);
  const bound = bindMigrationAwareSqlAdapterFactory(connections.factory);
  let engine: SchemaEngine;
  try {
    engine = await bindings.SchemaEngine.new({ datamodels: options.datamodels }, options.log ?? (() => {}), bound);
  } catch (error) {
    await connections.disposeAll();
    throw error;
  }
  let closed = false;
  return {
    engine,
    provider,
    errorRegistry: bound.errorRegistry,
    async close() {
      if (closed) return;
      closed = true;
      engine.free();
      await connections.disposeAll();
    },
  };
}

let wasmLoaded: Promise<void> | undefined;

/**
 * The package entry imports the .wasm file as an ES module, which Node 20 only allows behind
 * --experimental-wasm-modules; instantiating it by hand needs no flag (tools/prisma-offline/README.md W2). Once per
 * process: the bindings module holds a single wasm instance.
 */
function loadWasm(): Promise<void> {
  wasmLoaded ??= (async () => {
    const bindingsPath = fileURLToPath(import.meta.resolve("@prisma/schema-engine-wasm/schema_engine_bg"));
    const bytes = await readFile(join(dirname(bindingsPath), "schema_engine_bg.wasm"));
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { "./schema_engine_bg.js": bindings });
    bindings.__wbg_set_wasm(instance.exports);
    // wasm-bindgen's start function, exported untyped.
    (instance.exports.__wbindgen_start as () => void)();
  })();
  return wasmLoaded;
}

/**
 * engine.free() never disposes the adapters it connected, and applyMigrations leaves SQLite in
 * locking_mode=EXCLUSIVE, so every other connection would get SQLITE_BUSY until these are closed
 * (tools/prisma-offline/README.md W4).
 */
function trackConnections(factory: SqlMigrationAwareDriverAdapterFactory): {
  factory: SqlMigrationAwareDriverAdapterFactory;
  disposeAll(): Promise<void>;
} {
  const open = new Set<SqlDriverAdapter>();
  const track = async (connecting: Promise<SqlDriverAdapter>): Promise<SqlDriverAdapter> => {
    const adapter = await connecting;
    open.add(adapter);
    return adapter;
  };
  return {
    factory: {
      provider: factory.provider,
      adapterName: factory.adapterName,
      connect: () => track(factory.connect()),
      connectToShadowDb: () => track(factory.connectToShadowDb()),
    },
    async disposeAll() {
      const adapters = [...open];
      open.clear();
      await Promise.allSettled(adapters.map((adapter) => adapter.dispose()));
    },
  };
}
