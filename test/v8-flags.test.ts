// The V8 flags the server sets for its footprint give way to the operator's own.
import { describe, expect, it } from "vitest";
import { serverV8Flags } from "../src/v8-flags.ts";

describe("serverV8Flags", () => {
  it("sets Liftoff-only wasm and the old generation's growth when the operator sets neither", () => {
    expect(serverV8Flags([])).toEqual(["--liftoff-only", "--heap-growing-percent=50"]);
    expect(serverV8Flags(["--enable-source-maps", "--max-old-space-size=512", ""])).toEqual([
      "--liftoff-only",
      "--heap-growing-percent=50",
    ]);
  });

  it("leaves a flag to the operator who set it, negated or spelled with underscores", () => {
    expect(serverV8Flags(["--heap-growing-percent=100"])).toEqual(["--liftoff-only"]);
    expect(serverV8Flags(["--heap_growing_percent=20"])).toEqual(["--liftoff-only"]);
    expect(serverV8Flags(["--no-liftoff-only"])).toEqual(["--heap-growing-percent=50"]);
    expect(serverV8Flags(["--liftoff_only", "--heap-growing-percent=80"])).toEqual([]);
  });
});
