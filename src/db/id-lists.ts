// Id lists as the data layer reports them: numbers, ascending, whatever integer type the driver returned.

/** A row of a statement that returns ids; drivers give bigint or number. */
export type IdRow = { id: bigint | number };

export function ascending(ids: Iterable<bigint | number>): number[] {
  return Array.from(ids, Number).sort((a, b) => a - b);
}

/** The requested ids that are not among `found`, ascending. */
export function missingFrom(requested: readonly number[], found: readonly number[]): number[] {
  const present = new Set(found);
  return ascending(requested.filter((id) => !present.has(id)));
}
