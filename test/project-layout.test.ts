// The architecture rules that keep the layout readable: the layout in README.md and docs/development.md matches the tree, imports never cycle, and
// the app never reaches into test/, bench/ or tools/ while it serves requests.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LAYOUT_PAGES, projectLayout, withLayout } from "../scripts/project-layout.ts";
import { root } from "./support/processes.ts";

/** Files under src/ allowed to import tools/: they run once at start-up (migrations), never per request. */
const START_UP_ONLY = ["src/db/migrations/"];

function sourceFiles(): string[] {
  return execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "src"], {
    cwd: root,
    encoding: "utf8",
  })
    .split("\n")
    .filter((file) => file.endsWith(".ts"));
}

describe("project layout", () => {
  it.each(Object.entries(LAYOUT_PAGES))("%s's Project layout is what `npm run docs:layout` prints", (page, detail) => {
    const text = readFileSync(join(root, page), "utf8");
    expect(text, "run `npm run docs:layout`").toBe(withLayout(text, projectLayout(detail)));
  });

  it("nothing under src/ imports test/ or bench/, and only start-up code imports tools/", () => {
    const offenders = sourceFiles().flatMap((file) => {
      const text = readFileSync(join(root, file), "utf8");
      const imports = [...text.matchAll(/from\s+"([^"]+)"|import\(\s*"([^"]+)"/g)].map(
        (match) => match[1] ?? match[2] ?? "",
      );
      return imports
        .filter(
          (specifier) =>
            /(^|\/)(test|bench)\//.test(specifier) ||
            (/(^|\/)tools\//.test(specifier) && !START_UP_ONLY.some((dir) => file.startsWith(dir))),
        )
        .map((specifier) => `${file} → ${specifier}`);
    });
    expect(offenders).toEqual([]);
  });

  it("has no import cycle in src/, tools/ or scripts/", () => {
    const output = execFileSync(
      join(root, "node_modules", ".bin", "madge"),
      ["--circular", "--extensions", "ts", "--exclude", "generated", "--json", "src", "tools", "scripts"],
      { cwd: root, encoding: "utf8" },
    );
    expect(JSON.parse(output)).toEqual([]);
  });
});
