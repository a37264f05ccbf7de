// Public API of the offline migration machinery; the rest of src imports from here only.

export { committedMigrationNames, migrateDatabase, type MigrateOptions } from "./migrate.ts";
export { MigrationError, type MigrationErrorCode } from "./errors.ts";
export { databaseProvider, sqliteFilePath } from "../../../tools/prisma-offline/database-url.ts";
