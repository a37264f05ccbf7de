-- Lets SQLite give the pages of deleted rows back to the file system: with auto_vacuum = NONE (the default) a
-- mass delete leaves the file at its largest size for good. INCREMENTAL keeps the freed pages on a list that the
-- server hands back a bounded number at a time (PRAGMA incremental_vacuum, src/db/space-reclaim.ts), so no step
-- holds the database for long. auto_vacuum of a database that already has tables changes only with a VACUUM,
-- which rewrites the whole file once (a fresh database is empty here, so it costs nothing). VACUUM cannot run in
-- a transaction: this works because Prisma's schema engine runs a SQLite migration script outside of one (the
-- server, `npm run db:migrate` and `prisma migrate deploy` alike). It needs free disk space of about the file's
-- size while it runs. It is a migration of its own, so no other statement shares its script.
PRAGMA auto_vacuum = INCREMENTAL;
VACUUM;
