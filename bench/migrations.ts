// The committed migrations as plain SQL, so a raw database gets exactly the server's schema without Prisma's
// engine. Shared by the targets: each runs the scripts of its own provider's history.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** Every `<dir>/<migration>/migration.sql`, oldest first: migration names start with their timestamp. */
export function migrationScripts(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => readFileSync(join(dir, name, "migration.sql"), "utf8"));
}
