// The SQLite file's checks that need no driver: imported at every start (its error is one the start knows how to
// report), while better-sqlite3 and its adapter (src/db/sqlite.ts) are loaded only on SQLite.
import { accessSync, constants, existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";

/** The SQLite file or its directory cannot be written; the start stops with this message. */
export class DatabaseFileError extends Error {
  override name = "DatabaseFileError";
}

/**
 * SQLite opens a file it may not write read-only without complaint, and then fails every write; the schema engine
 * reports an unwritable directory only as "External error id#0". Checked before anything opens the file, so the
 * start fails with the path and the reason instead. The directory must be writable too: SQLite creates the -wal
 * and -shm files beside the database.
 */
export function checkSqliteFileWritable(path: string): void {
  const directory = dirname(path);
  const check = (what: string, target: string, run: () => void) => {
    try {
      run();
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new DatabaseFileError(`${what} ${target} is not writable (${reason}); check its permissions and mount`, {
        cause: error,
      });
    }
  };
  check("The SQLite directory", directory, () => {
    mkdirSync(directory, { recursive: true });
    accessSync(directory, constants.W_OK);
  });
  if (existsSync(path))
    check("The SQLite database file", path, () => accessSync(path, constants.R_OK | constants.W_OK));
}
