// Id lists as deleteThings and deleteThingsWhere receive them: parsed, validated and de-duplicated, whether the ids
// sit close together (checked with a bitmap) or far apart (checked with a Set).
import { describe, expect, it } from "vitest";
import { MAX_THING_ID, parseThingIds } from "../src/schema/ids.ts";

const parse = (raw: readonly string[]) => parseThingIds(raw, "ids");
const withCode = (code: string) => expect.objectContaining({ extensions: expect.objectContaining({ code }) });

describe("parseThingIds", () => {
  it("keeps the first occurrence of each id, in order", () => {
    expect(parse(["5", "3", "5", "4", "3"])).toEqual([5, 3, 4]);
  });

  it("removes repeats among ids too far apart for the bitmap", () => {
    expect(parse(["1", String(MAX_THING_ID), "1", "70000"])).toEqual([1, MAX_THING_ID, 70_000]);
  });

  it("returns a list without repeats as it is, and an empty or one-id list too", () => {
    expect(parse(["9", "2", "7"])).toEqual([9, 2, 7]);
    expect(parse([])).toEqual([]);
    expect(parse(["4"])).toEqual([4]);
  });

  it("refuses an id that is not a positive integer within the column's range with BAD_USER_INPUT", () => {
    for (const bad of ["0", "-1", "01", "1.5", "1e3", "abc", String(MAX_THING_ID + 1)]) {
      expect(() => parse(["1", bad]), bad).toThrow(withCode("BAD_USER_INPUT"));
    }
  });
});
