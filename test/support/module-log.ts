// Which ES modules a server process loaded: to show that a feature that is off (tracing, GraphiQL before its first
// page) costs no module and no memory.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Where a process that loaded `hook` wrote the URL of every ES module it resolved. */
export interface ModuleLog {
  hook: string;
  urls(): string[];
}

/**
 * A module to preload with NODE_OPTIONS=--import: it registers itself as a resolve hook (module.register runs hooks
 * on a separate thread, where isMainThread is false) that appends each resolved URL to a file.
 */
export function moduleLog(directory: string): ModuleLog {
  const log = join(directory, "modules.log");
  const hook = join(directory, "log-modules.mjs");
  writeFileSync(
    hook,
    [
      'import { appendFileSync } from "node:fs";',
      'import { register } from "node:module";',
      'import { isMainThread } from "node:worker_threads";',
      "if (isMainThread) register(import.meta.url);",
      "export async function resolve(specifier, context, next) {",
      "  const resolved = await next(specifier, context);",
      `  appendFileSync(${JSON.stringify(log)}, resolved.url + "\\n");`,
      "  return resolved;",
      "}",
    ].join("\n"),
  );
  return { hook, urls: () => (existsSync(log) ? readFileSync(log, "utf8").split("\n").filter(Boolean) : []) };
}
