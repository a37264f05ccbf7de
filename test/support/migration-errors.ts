// Assertions shared by the migration tests of both providers.
import { expect } from "vitest";
import { MigrationError } from "../../src/db/migrations/index.ts";

/** The MigrationError `migrating` rejects with (fails the test when it resolves or rejects with anything else). */
export async function migrationError(migrating: Promise<unknown>): Promise<MigrationError> {
  const error: unknown = await migrating.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(MigrationError);
  return error as MigrationError;
}

/** One paragraph for a human: no stack, no Rust span trace. */
export function expectReadable(message: string): void {
  expect(message).not.toMatch(/\n|Span trace|\w::\w/);
}
