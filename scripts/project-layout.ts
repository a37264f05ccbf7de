// `npm run docs:layout`: writes README.md's "Project layout" from the tree itself (each file's first comment line),
// so it cannot go stale; test/project-layout.test.ts fails when README.md differs from what this prints.
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

const ROOT = join(import.meta.dirname, "..");

/** Folders listed file by file; their purpose is told by each file's first line. */
const LISTED = ["src", "tools/prisma-offline", "scripts", "test/support"];
/** Folders shown as one line each, with what they hold. */
const SUMMARISED: Record<string, string> = {
  "prisma/": "the data model (schema.prisma), its SQLite migrations, and the derived PostgreSQL schema and history",
  "test/": "vitest suites, one per behaviour; operations as named .graphql documents in test/operations",
  "examples/apollo/":
    "an Apollo Client script: select many, delete (undoable), undo, keep the cache right, follow thingsChanged over SSE",
  "examples/web/":
    "a React + Apollo page (Vite): inbox with selection, undoable delete, select all matching, trash, live over SSE",
  "bench/": "`npm run bench`: the real server over HTTP against the raw driver, in the same run",
  "docs/": "api, security, configuration, operations, migrations, development and benchmark pages",
  ".ci/run": "what CI runs on a clean clone",
};
const SKIPPED = new Set(["generated", "node_modules"]);

function firstCommentLine(file: string): string {
  const line = readFileSync(file, "utf8")
    .split("\n")
    .find((text) => /^\s*(\/\/|#(?!!))/.test(text));
  const text = line?.replace(/^\s*(\/\/|#)\s?/, "").trim() ?? "";
  // The first clause is enough for a table; the file says the rest.
  return text.replace(/[.:;,]\s.*$/, "").replace(/[.:]$/, "");
}

function filesUnder(directory: string): string[] {
  return readdirSync(join(ROOT, directory))
    .filter((name) => !SKIPPED.has(name))
    .sort()
    .flatMap((name) => {
      const path = join(directory, name);
      if (statSync(join(ROOT, path)).isDirectory()) return LISTED.includes(path) ? [] : filesUnder(path);
      return /\.(ts|graphql)$|shim$/.test(name) ? [path] : [];
    });
}

export function projectLayout(): string {
  const rows: [string, string][] = [];
  for (const directory of LISTED) {
    for (const file of filesUnder(directory))
      rows.push([relative(ROOT, join(ROOT, file)), firstCommentLine(join(ROOT, file))]);
  }
  for (const [path, what] of Object.entries(SUMMARISED)) rows.push([path, what]);
  const width = Math.max(...rows.map(([path]) => path.length));
  return ["```", ...rows.map(([path, what]) => `${path.padEnd(width)}  ${what}`.trimEnd()), "```"].join("\n");
}

const START = "<!-- layout:start -->";
const END = "<!-- layout:end -->";

/** README.md with its layout block replaced by `layout`. */
export function readmeWithLayout(readme: string, layout: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md needs the markers ${START} and ${END}`);
  return `${readme.slice(0, start + START.length)}\n${layout}\n${readme.slice(end)}`;
}

if (process.argv[1] === import.meta.filename) {
  const file = join(ROOT, "README.md");
  writeFileSync(file, readmeWithLayout(readFileSync(file, "utf8"), projectLayout()));
}
