-- Nothing to do on PostgreSQL: autovacuum already makes the space of deleted rows reusable. The SQLite history's
-- migration of the same name switches SQLite to auto_vacuum = INCREMENTAL. Both histories keep the same names.
SELECT 1;
