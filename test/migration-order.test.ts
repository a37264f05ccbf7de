// The order in which committed migrations are applied: the prisma CLI's localeCompare order, computed without ICU
// for the names the CLI writes.
import { describe, expect, it } from "vitest";
import { compareMigrationNames } from "../src/db/migrations/migration-list.ts";

const PLAIN_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz_";

/** A deterministic pseudo-random source, so a failure names the pair it found on every run. */
function* plainNames(count: number): Generator<string> {
  let state = 0x2545f491;
  const next = () => ((state = (state * 1103515245 + 12345) >>> 0) >>> 8) / 0x1000000;
  for (let index = 0; index < count; index++) {
    const length = Math.floor(next() * 6);
    yield Array.from({ length }, () => PLAIN_ALPHABET[Math.floor(next() * PLAIN_ALPHABET.length)]).join("");
  }
}

describe("compareMigrationNames", () => {
  it("orders names of digits, lowercase letters and _ exactly as localeCompare does", () => {
    const names = [...plainNames(3000)];
    const mismatches = names
      .slice(1)
      .map((name, index) => [names[index]!, name] as const)
      .filter(([a, b]) => Math.sign(compareMigrationNames(a, b)) !== Math.sign(a.localeCompare(b)));
    expect(mismatches).toEqual([]);
  });

  it("puts _ before digits and letters, as the collator does and character codes do not", () => {
    expect(compareMigrationNames("2024_b", "20241_a")).toBeLessThan(0);
    expect(compareMigrationNames("20240101000000_init", "20240101000000_init_2")).toBeLessThan(0);
    expect(compareMigrationNames("20240101000000_init", "20240101000000_init")).toBe(0);
  });

  it("leaves any other name to localeCompare", () => {
    for (const [a, b] of [
      ["20240101000000_Add", "20240101000000_add"],
      ["20240101000000-a", "20240101000000_a"],
      ["é", "f"],
    ] as const) {
      expect(Math.sign(compareMigrationNames(a, b))).toBe(Math.sign(a.localeCompare(b)));
    }
  });

  it("sorts a real history as the CLI does", () => {
    const history = ["20250301090000_trash", "20241201120000_init", "20250101000000_audit_log", "20250101000000_audit"];
    const byCli = [...history].sort((a, b) => a.localeCompare(b));
    expect([...history].sort(compareMigrationNames)).toEqual(byCli);
  });
});
