// Builds dist/server.js once before any test file runs, so that server processes run what production runs.
import { build } from "../../scripts/build.ts";

export default async function setup(): Promise<void> {
  await build();
}
